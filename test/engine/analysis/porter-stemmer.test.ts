import { describe, expect, it } from 'vitest';
import { englishMinimalStem, englishPossessive } from '../../../src/engine/analysis/english-stemmers.js';
import { porterStem } from '../../../src/engine/analysis/porter-stemmer.js';

/**
 * Word -> stem pairs from Porter's 1980 paper and his published vocabulary/output lists
 * (tartarus.org/martin/PorterStemmer), which Lucene's PorterStemmer reproduces.
 */
const PORTER_PAIRS: ReadonlyArray<readonly [string, string]> = [
  // Step 1a
  ['caresses', 'caress'], ['ponies', 'poni'], ['ties', 'ti'], ['caress', 'caress'], ['cats', 'cat'],
  // Step 1b
  ['feed', 'feed'], ['agreed', 'agre'], ['plastered', 'plaster'], ['bled', 'bled'], ['motoring', 'motor'],
  ['sing', 'sing'], ['conflated', 'conflat'], ['troubled', 'troubl'], ['sized', 'size'], ['hopping', 'hop'],
  ['tanned', 'tan'], ['falling', 'fall'], ['hissing', 'hiss'], ['fizzed', 'fizz'], ['failing', 'fail'],
  ['filing', 'file'], ['running', 'run'],
  // Step 1c
  ['happy', 'happi'], ['sky', 'sky'], ['happily', 'happili'],
  // Step 2
  ['relational', 'relat'], ['conditional', 'condit'], ['rational', 'ration'], ['valenci', 'valenc'],
  ['hesitanci', 'hesit'], ['digitizer', 'digit'], ['conformabli', 'conform'], ['radicalli', 'radic'],
  ['differentli', 'differ'], ['vileli', 'vile'], ['analogousli', 'analog'], ['vietnamization', 'vietnam'],
  ['predication', 'predic'], ['operator', 'oper'], ['feudalism', 'feudal'], ['decisiveness', 'decis'],
  ['hopefulness', 'hope'], ['callousness', 'callous'], ['formaliti', 'formal'], ['sensitiviti', 'sensit'],
  ['sensibiliti', 'sensibl'],
  // Step 3
  ['triplicate', 'triplic'], ['formative', 'form'], ['formalize', 'formal'], ['electriciti', 'electr'],
  ['electrical', 'electr'], ['hopeful', 'hope'], ['goodness', 'good'],
  // Step 4
  ['revival', 'reviv'], ['allowance', 'allow'], ['inference', 'infer'], ['airliner', 'airlin'],
  ['gyroscopic', 'gyroscop'], ['adjustable', 'adjust'], ['defensible', 'defens'], ['irritant', 'irrit'],
  ['replacement', 'replac'], ['adjustment', 'adjust'], ['dependent', 'depend'], ['adoption', 'adopt'],
  ['homologou', 'homolog'], ['communism', 'commun'], ['activate', 'activ'], ['angulariti', 'angular'],
  ['homologous', 'homolog'], ['effective', 'effect'], ['bowdlerize', 'bowdler'],
  // Step 5
  ['probate', 'probat'], ['rate', 'rate'], ['cease', 'ceas'], ['controll', 'control'], ['roll', 'roll'],
  // Whole words through every step
  ['generalization', 'gener'], ['generalizations', 'gener'], ['oscillators', 'oscil'],
];

describe('porterStem', () => {
  it.each(PORTER_PAIRS)('stems %s to %s', (word, stem) => {
    expect(porterStem(word)).toBe(stem);
  });

  it('applies Lucene\'s departures from the paper: -logi -> -log and -bli -> -ble', () => {
    expect(porterStem('archaeologi')).toBe('archaeolog');
    expect(porterStem('possibli')).toBe('possibl');
  });

  it('leaves words of one or two letters alone', () => {
    expect(porterStem('is')).toBe('is');
    expect(porterStem('a')).toBe('a');
    expect(porterStem('')).toBe('');
  });

  it('gives the same stem on repeated calls (the shared buffer is reset)', () => {
    expect(porterStem('internationalization')).toBe('internation');
    expect(porterStem('relational')).toBe('relat');
    expect(porterStem('relational')).toBe('relat');
  });
});

describe('englishPossessive', () => {
  it("removes a trailing 's, ’s or ＇s and nothing else", () => {
    expect(["dog's", 'dog’s', 'dog＇s', "DOG'S", 'dogs', "'s", 's', "o'clock"].map(englishPossessive)).toEqual([
      'dog', 'dog', 'dog', 'DOG', 'dogs', '', 's', "o'clock",
    ]);
  });
});

describe('englishMinimalStem', () => {
  it('removes plurals only, as Lucene\'s EnglishMinimalStemmer', () => {
    expect(['queries', 'boxes', 'cats', 'glass', 'bus', 'toes', 'aies', 'is'].map(englishMinimalStem)).toEqual([
      'query', 'boxe', 'cat', 'glass', 'bus', 'toes', 'aies', 'is',
    ]);
  });
});
