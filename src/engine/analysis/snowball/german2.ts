/**
 * Snowball's German2 (Lucene 9's org.tartarus.snowball.ext.German2Stemmer, Elasticsearch 8's
 * `german2`): the German stemmer with a prelude that also reads ae, oe and ue as ä, ö and ü
 * (except after q), for text typed without umlauts. Everything after the prelude is German's,
 * so the word is respelled here and handed to German: German's own prelude then finds no ß left,
 * and its u/y marking finds nothing new, as every u or y between vowels is marked here first (a
 * respelled pair keeps its vowel on the same side, so no unmarked u or y gains a vowel neighbour).
 */

const VOWELS = new Set([...'aeiouyäöü']);
const RESPELLED: Readonly<Record<string, string>> = { ae: 'ä', oe: 'ö', ue: 'ü' };

/**
 * German2's prelude: u and y between vowels become U and Y (they are consonants from then on, and
 * German's postlude lowercases them again), then ß is ss and ae, oe, ue are ä, ö, ü, reading left
 * to right. "qu" steps over itself and the two characters after it (Snowball's `'qu' (hop 2)`
 * hops from after the match), and ends the respelling when fewer than two follow.
 *
 * @example german2Prelude('quelle') // 'quelle'
 * @example german2Prelude('baeume') // 'bäume'
 */
export function german2Prelude(word: string): string {
  let marked = word;
  for (let i = 0; i + 2 < marked.length; i++) {
    const c = marked[i + 1] as string;
    if ((c === 'u' || c === 'y') && VOWELS.has(marked[i] as string) && VOWELS.has(marked[i + 2] as string)) {
      marked = marked.slice(0, i + 1) + c.toUpperCase() + marked.slice(i + 2);
    }
  }
  let out = '';
  let i = 0;
  while (i < marked.length) {
    const c = marked[i] as string;
    const pair = marked.slice(i, i + 2);
    if (c === '\u00DF') {
      out += 'ss';
      i += 1;
    } else if (Object.hasOwn(RESPELLED, pair)) {
      out += RESPELLED[pair];
      i += 2;
    } else if (pair === 'qu') {
      if (i + 4 > marked.length) break;
      out += marked.slice(i, i + 4);
      i += 4;
    } else {
      out += c;
      i += 1;
    }
  }
  return out + marked.slice(i);
}

/** German2 on top of a German stemmer. */
export const german2 =
  (germanStem: (word: string) => string) =>
  (word: string): string =>
    germanStem(german2Prelude(word));
