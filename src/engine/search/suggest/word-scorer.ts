import { EngineError, parsingError } from '../../errors.js';
import { isObject } from '../parse-util.js';
import type { Candidate } from './candidate-generator.js';
import type { FieldTerms } from './field-terms.js';
import { doubleOption } from './suggest-options.js';

/**
 * The phrase suggester's language models (WordScorer and its smoothings): n-gram probabilities
 * from the suggest field's term frequencies, n-grams being the field's shingles joined by
 * `separator`. `score` is log10(channel x n-gram probability), summed over a path.
 */

export type SmoothingModel =
  | { kind: 'stupid_backoff'; discount: number }
  | { kind: 'laplace'; alpha: number }
  | { kind: 'linear_interpolation'; trigramLambda: number; bigramLambda: number; unigramLambda: number };

/** PhraseSuggestionContext.DEFAULT_SCORER: stupid backoff with the float 0.4f. */
export const DEFAULT_SMOOTHING: SmoothingModel = { kind: 'stupid_backoff', discount: Math.fround(0.4) };

const illegal = (reason: string): EngineError => new EngineError(400, 'illegal_argument_exception', reason);

/** SmoothingModel.fromXContent: one of stupid_backoff, laplace, linear_interpolation. */
export function parseSmoothing(v: unknown): SmoothingModel {
  if (!isObject(v)) throw parsingError('[smoothing] failed to parse');
  let model: SmoothingModel | undefined;
  for (const [name, body] of Object.entries(v)) {
    if (!isObject(body)) throw parsingError(`suggester[phrase] doesn't support field [${name}]`);
    const known = (keys: string[]): void => {
      for (const k of Object.keys(body)) if (!keys.includes(k)) throw parsingError(`[${name}] unknown token [VALUE_NUMBER] after [${k}]`);
    };
    if (name === 'stupid_backoff' || name === 'stupidBackoff') {
      known(['discount']);
      model = { kind: 'stupid_backoff', discount: body.discount === undefined ? 0.4 : doubleOption(name, 'discount', body.discount) };
    } else if (name === 'laplace') {
      known(['alpha']);
      model = { kind: 'laplace', alpha: body.alpha === undefined ? 0.5 : doubleOption(name, 'alpha', body.alpha) };
    } else if (name === 'linear_interpolation' || name === 'linearInterpolation') {
      known(['trigram_lambda', 'bigram_lambda', 'unigram_lambda']);
      const lambda = (k: string): number => (body[k] === undefined ? 0 : doubleOption(name, k, body[k]));
      const m = { kind: 'linear_interpolation' as const, trigramLambda: lambda('trigram_lambda'), bigramLambda: lambda('bigram_lambda'), unigramLambda: lambda('unigram_lambda') };
      if (Math.abs(m.trigramLambda + m.bigramLambda + m.unigramLambda - 1) > 0.001) throw illegal('linear smoothing lambdas must sum to 1');
      model = m;
    } else {
      throw illegal(`suggester[phrase] doesn't support object field [${name}]`);
    }
  }
  if (!model) throw illegal('unable to parse smoothing model');
  return model;
}

export class WordScorer {
  private readonly vocabularySize: number;
  private readonly numTerms: number;
  private readonly lambdas?: { tri: number; bi: number; uni: number };

  constructor(
    private readonly terms: FieldTerms,
    private readonly realWordLikelihood: number,
    private readonly separator: string,
    private readonly model: SmoothingModel,
  ) {
    this.vocabularySize = terms.sumTotalTermFreq;
    // MultiTerms.size() is -1 over several segments; never let the denominator reach 0
    this.numTerms = this.vocabularySize + terms.size > 1 ? terms.size : 0;
    if (model.kind === 'linear_interpolation') {
      const sum = model.unigramLambda + model.bigramLambda + model.trigramLambda;
      this.lambdas = { tri: model.trigramLambda / sum, bi: model.bigramLambda / sum, uni: model.unigramLambda / sum };
    }
  }

  private frequency(term: string): number {
    return this.terms.totalTermFreq(term);
  }

  private join(...words: Candidate[]): string {
    return words.map((w) => w.term).join(this.separator);
  }

  private channelScore(candidate: Candidate): number {
    return candidate.stringDistance === 1 ? this.realWordLikelihood : candidate.stringDistance;
  }

  score(path: Candidate[], at: number, gramSize: number): number {
    const w = path[at] as Candidate;
    let p: number;
    if (at === 0 || gramSize === 1) p = this.unigram(w);
    else if (at === 1 || gramSize === 2) p = this.bigram(w, path[at - 1] as Candidate);
    else p = this.trigram(w, path[at - 1] as Candidate, path[at - 2] as Candidate);
    return Math.log10(this.channelScore(w) * p);
  }

  private unigram(w: Candidate): number {
    if (this.model.kind === 'laplace') return (this.model.alpha + this.frequency(w.term)) / (this.vocabularySize + this.model.alpha * this.numTerms);
    return (1 + this.frequency(w.term)) / (this.vocabularySize + this.numTerms);
  }

  private bigram(w: Candidate, w1: Candidate): number {
    const m = this.model;
    const count = this.frequency(this.join(w1, w));
    switch (m.kind) {
      case 'stupid_backoff':
        return count < 1 ? m.discount * this.unigram(w) : count / (w1.stats.totalTermFreq + 0.00000000001);
      case 'laplace':
        return (m.alpha + count) / (w1.stats.totalTermFreq + m.alpha * this.numTerms);
      case 'linear_interpolation': {
        const l = this.lambdas as { tri: number; bi: number; uni: number };
        if (count < 1) return l.uni * this.unigram(w);
        return l.bi * (count / (0.5 + w1.stats.totalTermFreq)) + l.uni * this.unigram(w);
      }
    }
  }

  private trigram(w: Candidate, w1: Candidate, w2: Candidate): number {
    const m = this.model;
    switch (m.kind) {
      case 'stupid_backoff': {
        const bigramCount = this.frequency(this.join(w1, w));
        if (bigramCount < 1) return m.discount * this.unigram(w);
        const trigramCount = this.frequency(this.join(w2, w1, w));
        if (trigramCount < 1) return m.discount * (bigramCount / (w1.stats.totalTermFreq + 0.00000000001));
        return trigramCount / (bigramCount + 0.00000000001);
      }
      case 'laplace': {
        const trigramCount = this.frequency(this.join(w2, w1, w));
        return (m.alpha + trigramCount) / (this.frequency(this.join(w1, w)) + m.alpha * this.numTerms);
      }
      case 'linear_interpolation': {
        // as LinearInterpolatingScorer, which joins the words in reverse order here
        const l = this.lambdas as { tri: number; bi: number; uni: number };
        const count = this.frequency(this.join(w, w1, w2));
        if (count < 1) return this.bigram(w, w1);
        return l.tri * (count / (1 + this.frequency(this.join(w, w1)))) + this.bigram(w, w1);
      }
    }
  }
}
