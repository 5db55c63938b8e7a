/** Types for the npm package `snowball-stemmers` (CommonJS; the Snowball project's stemmers as JavaScript). */
declare module 'snowball-stemmers' {
  interface Stemmer {
    stem(word: string): string;
  }
  const snowballStemmers: {
    /** A stemmer of one algorithm (its lowercase name: `russian`, `porter`, ...). */
    newStemmer(algorithm: string): Stemmer;
    /** The algorithm names the package has. */
    algorithms(): string[];
  };
  export default snowballStemmers;
}
