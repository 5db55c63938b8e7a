import { describe, expect, it } from 'vitest';
import { hungarianLightStem } from '../../../src/engine/analysis/hungarian-light-stemmer.js';
import { LANGUAGE_STEMMERS } from '../../../src/engine/analysis/language-filters.js';

// Expected stems are Lucene 8.7's HungarianLightStemmer's for the same words.
describe('hungarianLightStem', () => {
  it('folds accents and removes case, possessive and plural endings, then a final vowel', () => {
    const words = ['házakban', 'könyveinket', 'kertekkel', 'barátságként', 'almát', 'városokról', 'egészségünk', 'kassza', 'tó'];
    expect(words.map(hungarianLightStem)).toEqual(['haz', 'konyv', 'ker', 'baratsag', 'alm', 'varos', 'egeszseg', 'kassz', 'to']);
  });

  it('is the stemmer filter\'s light_hungarian (and lightHungarian)', () => {
    expect(LANGUAGE_STEMMERS.light_hungarian).toBe(hungarianLightStem);
    expect(LANGUAGE_STEMMERS.lighthungarian).toBe(hungarianLightStem);
  });
});
