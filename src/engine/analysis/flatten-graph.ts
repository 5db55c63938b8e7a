import type { Token } from '../contract.js';
import type { TokenFilter } from './analysis-types.js';

/**
 * `flatten_graph`: Lucene's FlattenGraphFilter. A token graph (synonym_graph, word_delimiter_graph:
 * tokens spanning several positions) becomes a linear chain the index can store: input nodes
 * (positions) are merged into output nodes numbered in order, each token's position and length
 * are re-expressed between output nodes, and offsets are "shrink-wrapped" to the most restrictive
 * original token's. Holes (stop words removed before) are recovered as Lucene 9 does.
 */

interface InputNode {
  tokens: Token[];
  /** Our input node, or -1 if not assigned yet. */
  node: number;
  maxToNode: number;
  minToNode: number;
  outputNode: number;
  nextOut: number;
}

interface OutputNode {
  inputNodes: number[];
  node: number;
  nextOut: number;
  startOffset: number;
  endOffset: number;
}

/** Lucene's RollingBuffer by absolute position: fresh nodes up to any position asked for. */
class Rolling<T> {
  private readonly items = new Map<number, T>();
  private nextPos = 0;

  constructor(private readonly fresh: () => T) {}

  get(pos: number): T {
    while (pos >= this.nextPos) this.items.set(this.nextPos++, this.fresh());
    let item = this.items.get(pos);
    if (item === undefined) {
      item = this.fresh();
      this.items.set(pos, item);
    }
    return item;
  }

  maxPos(): number {
    return this.nextPos - 1;
  }

  freeBefore(pos: number): void {
    for (const key of this.items.keys()) if (key < pos) this.items.delete(key);
  }
}

const freshInput = (): InputNode => ({ tokens: [], node: -1, maxToNode: -1, minToNode: Number.MAX_SAFE_INTEGER, outputNode: -1, nextOut: 0 });
const freshOutput = (): OutputNode => ({ inputNodes: [], node: -1, nextOut: 0, startOffset: -1, endOffset: -1 });

/** The input position length of a token (1 unless set). */
const lengthOf = (t: Token) => t.positionLength ?? 1;

class Flattener {
  private readonly inputNodes = new Rolling<InputNode>(freshInput);
  private readonly outputNodes = new Rolling<OutputNode>(freshOutput);
  private inputFrom = -1;
  private outputFrom = 0;
  private lastOutputFrom = -1;
  private lastStartOffset = 0;
  private done = false;
  private position = -1;
  readonly out: Token[] = [];

  constructor() {
    const input = this.inputNodes.get(0);
    input.node = 0;
    input.outputNode = 0;
    const output = this.outputNodes.get(0);
    output.node = 0;
    output.inputNodes.push(0);
    output.startOffset = 0;
  }

  run(tokens: readonly Token[]): Token[] {
    let last = -1;
    let i = 0;
    for (;;) {
      if (this.release()) continue;
      if (this.done) return this.out;
      const t = tokens[i++];
      if (t === undefined) {
        this.done = true;
        continue;
      }
      const inc = t.position - last;
      last = t.position;
      this.accept(t, inc);
    }
  }

  private accept(t: Token, positionIncrement: number): void {
    this.inputFrom += positionIncrement;
    const { startOffset, endOffset } = t;
    const inputTo = this.inputFrom + lengthOf(t);
    const src = this.inputNodes.get(this.inputFrom);
    if (src.node === -1) {
      this.recoverFromHole(src, startOffset, positionIncrement);
    } else {
      let outSrc = this.outputNodes.get(src.outputNode);
      const previous = this.inputNodes.get(this.inputFrom - positionIncrement);
      if (positionIncrement > 1 && src.outputNode - previous.outputNode <= 1 && previous.minToNode !== this.inputFrom) {
        // a hole at the end of an alternate path: the node was placed, its offsets were not kept
        const at = outSrc.inputNodes.indexOf(this.inputFrom);
        if (at >= 0) outSrc.inputNodes.splice(at, 1);
        src.outputNode = -1;
        const prevEndOffset = outSrc.endOffset;
        outSrc = this.recoverFromHole(src, startOffset, positionIncrement);
        outSrc.endOffset = prevEndOffset;
      }
      if (outSrc.startOffset === -1 || startOffset > outSrc.startOffset) outSrc.startOffset = Math.max(startOffset, outSrc.startOffset);
    }
    src.tokens.push(t);
    src.maxToNode = Math.max(src.maxToNode, inputTo);
    src.minToNode = Math.min(src.minToNode, inputTo);
    const dest = this.inputNodes.get(inputTo);
    if (dest.node === -1) dest.node = inputTo;
    const outputEndNode = src.outputNode + 1;
    if (outputEndNode > dest.outputNode) {
      if (dest.outputNode !== -1) {
        const list = this.outputNodes.get(dest.outputNode).inputNodes;
        const at = list.indexOf(inputTo);
        if (at >= 0) list.splice(at, 1);
      }
      this.outputNodes.get(outputEndNode).inputNodes.push(inputTo);
      dest.outputNode = outputEndNode;
    }
    const outDest = this.outputNodes.get(dest.outputNode);
    if (outDest.endOffset === -1 || endOffset < outDest.endOffset) outDest.endOffset = endOffset;
  }

  private recoverFromHole(src: InputNode, startOffset: number, posInc: number): OutputNode {
    src.node = this.inputFrom;
    let outIndex: number;
    const previousInputFrom = this.inputFrom - posInc;
    if (previousInputFrom >= 0) {
      const offsetSrc = this.inputNodes.get(previousInputFrom);
      outIndex = offsetSrc.minToNode < this.inputFrom ? this.inputNodes.get(offsetSrc.minToNode).outputNode + 1 : this.outputNodes.maxPos();
    } else {
      outIndex = this.outputNodes.maxPos() + 1;
    }
    const outSrc = this.outputNodes.get(outIndex);
    src.outputNode = outIndex;
    if (outSrc.node === -1) {
      outSrc.node = src.outputNode;
      outSrc.startOffset = startOffset;
    } else {
      outSrc.startOffset = Math.max(startOffset, outSrc.startOffset);
    }
    outSrc.inputNodes.push(this.inputFrom);
    return outSrc;
  }

  /** releaseBufferedToken: emits the next frozen token, if any. */
  private release(): boolean {
    while (this.outputFrom < this.outputNodes.maxPos()) {
      const output = this.outputNodes.get(this.outputFrom);
      if (output.inputNodes.length === 0) {
        this.outputFrom++;
        continue;
      }
      let maxToNode = -1;
      for (const id of output.inputNodes) maxToNode = Math.max(maxToNode, this.inputNodes.get(id).maxToNode);
      if (!(maxToNode <= this.inputFrom || this.done)) return false;
      const inputNode = this.inputNodes.get(output.inputNodes[output.nextOut] as number);
      if (this.done && inputNode.tokens.length === 0 && this.outputFrom >= this.outputNodes.maxPos()) return false;
      if (inputNode.tokens.length === 0) {
        if (output.inputNodes.length > 1) {
          output.nextOut++;
          if (output.nextOut < output.inputNodes.length) continue;
        }
        this.freeBefore(output);
        continue;
      }
      const token = inputNode.tokens[inputNode.nextOut] as Token;
      const posInc = this.outputFrom - this.lastOutputFrom;
      const toInputNode = this.inputNodes.get(inputNode.node + lengthOf(token));
      const posLen = toInputNode.outputNode - this.outputFrom;
      this.lastOutputFrom = this.outputFrom;
      inputNode.nextOut++;
      const outputEndNode = this.outputNodes.get(toInputNode.outputNode);
      const startOffset = Math.max(this.lastStartOffset, output.startOffset);
      const endOffset = Math.max(startOffset, outputEndNode.endOffset);
      this.lastStartOffset = startOffset;
      this.position += posInc;
      // each buffered token leaves once: re-place it in place (keeping its keyword mark)
      token.position = this.position;
      token.startOffset = startOffset;
      token.endOffset = endOffset;
      if (posLen !== 1) token.positionLength = posLen;
      else delete token.positionLength;
      this.out.push(token);
      if (inputNode.nextOut === inputNode.tokens.length) {
        output.nextOut++;
        if (output.nextOut === output.inputNodes.length) this.freeBefore(output);
      }
      return true;
    }
    return false;
  }

  private freeBefore(output: OutputNode): void {
    this.outputFrom++;
    this.inputNodes.freeBefore(Math.min(...output.inputNodes));
    this.outputNodes.freeBefore(this.outputFrom);
  }
}

export class FlattenGraphFilter implements TokenFilter {
  filter(tokens: Token[]): Token[] {
    return new Flattener().run(tokens);
  }
}
