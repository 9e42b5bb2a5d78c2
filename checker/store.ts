// The visited-state store: full packed states in a typed-array arena (which is also the breadth-first
// queue: states are numbered in the order found), an open-addressing hash table of state numbers, and a
// parent number per state for rebuilding traces. No JS objects per state.

const EMPTY = -1;

export class StateStore {
  private arena: Uint32Array;
  private parents: Int32Array;
  private table: Int32Array;
  private tableMask: number;
  count = 0;

  constructor(
    readonly words: number,
    initialCapacity = 1 << 16,
  ) {
    const cap = Math.max(16, initialCapacity);
    this.arena = new Uint32Array(cap * words);
    this.parents = new Int32Array(cap);
    const slots = nextPow2(cap * 2);
    this.table = new Int32Array(slots).fill(EMPTY);
    this.tableMask = slots - 1;
  }

  /** Bytes held per stored state (arena, parent link and hash slots), and in all. */
  get bytes(): number {
    return this.arena.byteLength + this.parents.byteLength + this.table.byteLength;
  }

  bytesPerState(): number {
    return this.count === 0 ? 0 : (this.count * this.words * 4 + this.count * 4 + this.table.length * 4) / this.count;
  }

  private hash(s: Uint32Array, off = 0): number {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < this.words; i++) {
      h = Math.imul(h ^ s[off + i], 0x9e3779b1);
      h ^= h >>> 15;
    }
    return Math.imul(h, 0x85ebca6b) >>> 0;
  }

  /** Adds `s` unless present. Returns its number and whether it is new (as the sign: new → ~index). */
  insert(s: Uint32Array, parent: number): number {
    const W = this.words;
    let slot = this.hash(s) & this.tableMask;
    const table = this.table;
    const arena = this.arena;
    for (;;) {
      const idx = table[slot];
      if (idx === EMPTY) break;
      const off = idx * W;
      let same = true;
      for (let i = 0; i < W; i++) {
        if (arena[off + i] !== s[i]) {
          same = false;
          break;
        }
      }
      if (same) return idx;
      slot = (slot + 1) & this.tableMask;
    }
    const idx = this.count;
    if (idx >= this.parents.length) {
      this.growArena();
      return this.insert(s, parent);
    }
    this.arena.set(s.length === W ? s : s.subarray(0, W), idx * W);
    this.parents[idx] = parent;
    table[slot] = idx;
    this.count++;
    if (this.count * 2 > table.length) this.growTable();
    return ~idx;
  }

  /** The number of state `s`, or -1 if it is not stored. */
  lookup(s: Uint32Array): number {
    const W = this.words;
    for (let slot = this.hash(s) & this.tableMask; ; slot = (slot + 1) & this.tableMask) {
      const idx = this.table[slot];
      if (idx === EMPTY) return -1;
      const off = idx * W;
      let i = 0;
      while (i < W && this.arena[off + i] === s[i]) i++;
      if (i === W) return idx;
    }
  }

  /** A view of state `i` (valid until the next insert). */
  get(i: number): Uint32Array {
    return this.arena.subarray(i * this.words, (i + 1) * this.words);
  }

  parent(i: number): number {
    return this.parents[i];
  }

  /** The chain of state numbers from an initial state to `i`. */
  path(i: number): number[] {
    const out: number[] = [];
    for (let k = i; k >= 0; k = this.parents[k]) out.push(k);
    return out.reverse();
  }

  private growArena(): void {
    const cap = this.parents.length * 2;
    const arena = new Uint32Array(cap * this.words);
    arena.set(this.arena);
    this.arena = arena;
    const parents = new Int32Array(cap);
    parents.set(this.parents);
    this.parents = parents;
  }

  private growTable(): void {
    const slots = this.table.length * 2;
    const table = new Int32Array(slots).fill(EMPTY);
    const maskBits = slots - 1;
    for (let idx = 0; idx < this.count; idx++) {
      let slot = this.hash(this.arena, idx * this.words) & maskBits;
      while (table[slot] !== EMPTY) slot = (slot + 1) & maskBits;
      table[slot] = idx;
    }
    this.table = table;
    this.tableMask = maskBits;
  }

  /** The memory the store would hold after its next growth: to stop before, not after, a memory bound. */
  nextGrowthBytes(): number {
    const needArena = this.count + 1 >= this.parents.length;
    const needTable = (this.count + 1) * 2 > this.table.length;
    return (
      this.bytes +
      (needArena ? this.arena.byteLength * 2 + this.parents.byteLength * 2 : 0) +
      (needTable ? this.table.byteLength * 2 : 0)
    );
  }
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
