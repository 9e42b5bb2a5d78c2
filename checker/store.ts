// The visited-state store. States are numbered 0, 1, 2, ... in the order found (the breadth-first explorer
// walks them by number, so the store is also its queue), each with the number of the state it was reached
// from. No JS object per state; lossless throughout (lookups always compare whole states).
//
// Speed: the cost is cache misses. The hash table's 32-bit slots hold a fingerprint next to the state's
// number, so a probe reads the arena only on a fingerprint match (one miss for a new state instead of
// about two), and the table doubles without reading the arena (see KeyTable). Memory: the table is filled
// to 3/4 (not 1/2), and parent numbers take a byte per state (breadth-first parents never decrease).
//
// `compress: true` also tree-compresses states (as in LTSmin): pairs of words are interned in tables of
// their own and a state is stored as the numbers of its two halves, 8 bytes for any number of words. Futex
// models' halves repeat a lot (drepper_mutex2 N=5: 178 000 and 475 distinct halves for 5.7M states), so it
// halves the memory, but the extra lookups cost time: it is for runs bounded by memory.

const MAX_LOAD = 0.75; // linear probing stays short (and slots stay 4 bytes, see KeyTable)
const DISP_BITS = 4;

const P1 = 0x9e3779b1;
const P2 = 0x85ebca6b;
const P3 = 0xc2b2ae35;

/** A hash of the key `k[off .. off+K)`: each word is mixed in by one multiply and a rotation (a bijection
 *  of that word when the others are fixed), then MurmurHash3's final avalanche, so that every bit of the
 *  result depends on every bit of the key. Entries' positions and fingerprints come from it. A state is a
 *  few words: a short dependent chain beats wider structures here. */
export function hashKey(k: Uint32Array, off: number, K: number): number {
  let h = K;
  for (let i = 0; i < K; i++) {
    h = Math.imul(h ^ k[off + i], P1);
    h = (h << 13) | (h >>> 19);
  }
  h ^= h >>> 16;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Keys of K words, numbered in insertion order, deduplicated by an open-addressing hash table with linear
 *  probing. The table has 2^b slots; a key's home slot is the top b bits of its hash. A 32-bit slot holds,
 *  from the low bits up: the key's number + 1 (b bits; 0 = empty slot), its distance from its home slot
 *  (DISP_BITS, saturated), and the hash bits just below the home bits as a fingerprint (the rest). A probe
 *  reads the arena only on a fingerprint match, and growth rebuilds the table from the slots alone, in slot
 *  order (home, distance and fingerprint give the doubled table's home bit): no arena reads, near-sequential
 *  writes. Only entries whose distance saturated are rehashed from their key. */
export class KeyTable {
  /** The keys, K words each, by number. */
  keys: Uint32Array;
  count = 0;
  private slots: Uint32Array;
  private bits = 0;
  private mask = 0;
  private limit = 0; // the table doubles before holding more keys than this
  private idxMask = 0;
  private dispBits = 0;
  private dispMax = 0;
  private fpBits = 0;
  private fpShift = 0; // where the fingerprint starts in a slot
  private fpSlotMask = 0; // the fingerprint's bits in a slot (int32)

  constructor(
    readonly K: number,
    capacity: number,
  ) {
    let bits = 4;
    while (2 ** bits * MAX_LOAD < capacity) bits++;
    this.slots = this.layout(bits);
    this.keys = new Uint32Array(this.limit * K);
  }

  private layout(bits: number): Uint32Array {
    this.bits = bits;
    this.mask = 2 ** bits - 1;
    this.limit = Math.floor(2 ** bits * MAX_LOAD); // numbers + 1 <= limit < 2^bits
    this.idxMask = this.mask;
    this.dispBits = Math.min(DISP_BITS, 32 - bits);
    this.dispMax = 2 ** this.dispBits - 1;
    this.fpBits = 32 - bits - this.dispBits;
    this.fpShift = bits + this.dispBits;
    this.fpSlotMask = this.fpBits === 0 ? 0 : (-1 << this.fpShift) | 0;
    return new Uint32Array(2 ** bits);
  }

  /** The fingerprint of hash `h`, in place in a slot (int32). */
  private fpOf(h: number): number {
    return (h << this.bits) & this.fpSlotMask;
  }

  /** Adds the key at `k[off..]` unless present: its number, as ~number if it is new. */
  insert(k: Uint32Array, off: number): number {
    const K = this.K;
    const h = hashKey(k, off, K);
    const fp = this.fpOf(h);
    const slots = this.slots;
    const keys = this.keys;
    const fpMask = this.fpSlotMask;
    const mask = this.mask;
    const home = h >>> (32 - this.bits);
    let slot = home;
    for (;;) {
      const v = slots[slot];
      if (v === 0) break;
      if ((v & fpMask) === fp) {
        const idx = (v & this.idxMask) - 1;
        const at = idx * K;
        let i = 0;
        while (i < K && keys[at + i] === k[off + i]) i++;
        if (i === K) return idx;
      }
      slot = (slot + 1) & mask;
    }
    const idx = this.count;
    if (idx >= this.limit) {
      this.grow();
      return this.insert(k, off);
    }
    for (let i = 0; i < K; i++) keys[idx * K + i] = k[off + i];
    const disp = Math.min((slot - home) & mask, this.dispMax);
    slots[slot] = (fp | (disp << this.bits) | (idx + 1)) >>> 0;
    this.count = idx + 1;
    return ~idx;
  }

  /** The number of the key at `k[off..]`, or -1. */
  find(k: Uint32Array, off: number): number {
    const K = this.K;
    const h = hashKey(k, off, K);
    const fp = this.fpOf(h);
    for (let slot = h >>> (32 - this.bits); ; slot = (slot + 1) & this.mask) {
      const v = this.slots[slot];
      if (v === 0) return -1;
      if ((v & this.fpSlotMask) === fp) {
        const idx = (v & this.idxMask) - 1;
        let i = 0;
        while (i < K && this.keys[idx * K + i] === k[off + i]) i++;
        if (i === K) return idx;
      }
    }
  }

  /** Word `w` of key `idx`. */
  word(idx: number, w: number): number {
    return this.keys[idx * this.K + w];
  }

  /** Writes key `idx` into `dst[0 .. K)`. */
  copyKey(idx: number, dst: Uint32Array): void {
    const K = this.K;
    const keys = this.keys;
    const at = idx * K;
    for (let i = 0; i < K; i++) dst[i] = keys[at + i];
  }

  /** Doubles the table (and the arena). */
  private grow(): void {
    const K = this.K;
    const old = this.slots;
    const { bits, dispMax, fpBits, fpShift, mask } = this;
    const slots = this.layout(bits + 1);
    const keys = new Uint32Array(this.limit * K);
    keys.set(this.keys);
    this.keys = keys;
    // The old slot's fingerprint starts with the hash bit below its home bits: the new home's last bit.
    const fromSlot = fpBits >= 1 && this.fpBits === fpBits - 1;
    for (let s = 0; s < old.length; s++) {
      const v = old[s];
      if (v === 0) continue;
      const idx = (v & mask) - 1;
      const disp = (v >>> bits) & dispMax;
      let home: number;
      let fp: number;
      if (fromSlot && disp < dispMax) {
        const oldFp = v >>> fpShift;
        home = (((s - disp) & mask) << 1) | (oldFp >>> (fpBits - 1));
        fp = this.fpBits === 0 ? 0 : (oldFp << this.fpShift) & this.fpSlotMask;
      } else {
        const h = hashKey(keys, idx * K, K);
        home = h >>> (32 - this.bits);
        fp = this.fpOf(h);
      }
      let slot = home;
      while (slots[slot] !== 0) slot = (slot + 1) & this.mask;
      slots[slot] = (fp | (Math.min((slot - home) & this.mask, this.dispMax) << this.bits) | (idx + 1)) >>> 0;
    }
    this.slots = slots;
  }

  /** Allocated bytes. */
  get bytes(): number {
    return this.keys.byteLength + this.slots.byteLength;
  }

  /** Bytes in use: the keys stored and the whole hash table. */
  get usedBytes(): number {
    return this.count * this.K * 4 + this.slots.byteLength;
  }

  /** What one more insertion may add to `bytes` at its peak (old and new arrays alive together). */
  nextGrowthBytes(): number {
    return this.count < this.limit ? 0 : this.slots.byteLength * 2 + this.keys.byteLength * 2;
  }

  /** How many more keys fit before the table grows. */
  room(): number {
    return this.limit - this.count;
  }
}

const BLOCK = 256; // parent links: one full number per block of states, then a one-byte delta per state

/** Parent numbers, appended in state order: a byte per state while parents do not decrease and step by less
 *  than 256 (always, in practice, breadth-first); a block where they do not is kept as full numbers, in a
 *  pool that grows by doubling (so that each growth can be announced). */
class ParentLinks {
  private bases: Int32Array;
  private deltas: Uint8Array;
  private wide = new Map<number, number>(); // block → its offset in the pool
  private pool: Int32Array;
  private poolUsed = 0;
  private curWide = -1; // the offset of the current block if it is wide
  private last = 0;

  constructor(capacity: number) {
    const blocks = Math.max(1, Math.ceil(capacity / BLOCK));
    this.bases = new Int32Array(blocks);
    this.deltas = new Uint8Array(blocks * BLOCK);
    // room for a wide block in 1 of 64: room() then spans many blocks
    this.pool = new Int32Array(Math.max(1, blocks >>> 6) * BLOCK);
  }

  append(i: number, p: number): void {
    const b = i >>> 8;
    const j = i & (BLOCK - 1);
    if (j === 0) {
      if (b >= this.bases.length) this.grow();
      // the pool keeps a free block for this one: no growth in the middle of a block (see room)
      if (this.poolUsed === this.pool.length) this.growPool();
      this.bases[b] = p;
      this.curWide = -1;
    } else if (this.curWide >= 0) {
      this.pool[this.curWide + j] = p;
    } else {
      const d = p - this.last;
      if (d >= 0 && d < 256) this.deltas[i] = d;
      else {
        const at = this.poolUsed;
        this.poolUsed += BLOCK;
        for (let k = 0; k < j; k++) this.pool[at + k] = this.get(i - j + k);
        this.pool[at + j] = p;
        this.wide.set(b, at);
        this.curWide = at;
      }
    }
    this.last = p;
  }

  get(i: number): number {
    const b = i >>> 8;
    if (this.wide.size > 0) {
      const at = this.wide.get(b);
      if (at !== undefined) return this.pool[at + (i & (BLOCK - 1))];
    }
    let p = this.bases[b];
    for (let k = b * BLOCK + 1; k <= i; k++) p += this.deltas[k];
    return p;
  }

  private growPool(): void {
    const pool = new Int32Array(this.pool.length * 2);
    pool.set(this.pool);
    this.pool = pool;
  }

  private grow(): void {
    const n = this.bases.length * 2;
    const bases = new Int32Array(n);
    bases.set(this.bases);
    this.bases = bases;
    const deltas = new Uint8Array(n * BLOCK);
    deltas.set(this.deltas);
    this.deltas = deltas;
  }

  get bytes(): number {
    return this.bases.byteLength + this.deltas.byteLength + this.pool.byteLength;
  }

  usedBytes(count: number): number {
    return count + Math.ceil(count / BLOCK) * 4 + this.poolUsed * 4;
  }

  /** How many more states can be appended after state `count - 1` before any array grows. Arrays grow only
   *  when a block starts: the bases when full, the pool when it has no free block left (a block opens at
   *  most one wide block, and the one under way may still take one unless it is wide already). */
  room(count: number): number {
    const j = count & (BLOCK - 1);
    const free = (this.pool.length - this.poolUsed) / BLOCK - (j === 0 || this.curWide >= 0 ? 0 : 1);
    const blockEnd = count - j + (j === 0 ? 0 : BLOCK); // the next block start
    return Math.min(this.bases.length * BLOCK, blockEnd + Math.max(0, free) * BLOCK) - count;
  }

  /** What appending state `count` may add to `bytes`. */
  nextGrowthBytes(count: number): number {
    if ((count & (BLOCK - 1)) !== 0) return 0;
    const bases = count >>> 8 >= this.bases.length ? this.bases.length * 2 * (4 + BLOCK) : 0;
    return bases + (this.poolUsed === this.pool.length ? this.pool.byteLength * 2 : 0);
  }
}

export interface StoreOptions {
  /** Tree-compress states of 3 or more words: about half the memory, a slower search (default false). */
  compress?: boolean;
}

export class StateStore {
  /** Interned pairs for the inner nodes of the state tree, evaluated in this order (children first). */
  private nodes: KeyTable[] = [];
  private lefts: number[] = []; // a word index (>= 0) or ~node
  private rights: number[] = [];
  private rootRefs: number[]; // the root's key: one value per ref
  private root: KeyTable;
  private parents: ParentLinks; // replaced by compressedCopy
  private vals: Uint32Array;
  private key: Uint32Array;
  private memo: Uint32Array; // per node: its last key and number (a successor often keeps half its parent)
  private hint: Uint32Array; // per node: the key and number of the parent's part (a successor keeps most)
  private hintParent = -1;
  count = 0;

  constructor(
    readonly words: number,
    initialCapacity = 1 << 16,
    options: StoreOptions = {},
  ) {
    if (words >= 3 && options.compress === true) {
      const mid = Math.ceil(words / 2);
      this.rootRefs = [this.build(0, mid), this.build(mid, words)];
    } else {
      this.rootRefs = Array.from({ length: words }, (_, i) => i);
    }
    this.root = new KeyTable(this.rootRefs.length, initialCapacity);
    this.parents = new ParentLinks(initialCapacity);
    this.vals = new Uint32Array(this.nodes.length);
    this.key = new Uint32Array(Math.max(2, this.rootRefs.length));
    this.memo = new Uint32Array(this.nodes.length * 3);
    for (let n = 0; n < this.nodes.length; n++) this.memo[n * 3 + 2] = -1 >>> 0; // no key yet
    this.hint = new Uint32Array(this.nodes.length * 3).fill(-1 >>> 0);
  }

  private build(lo: number, hi: number): number {
    if (hi - lo === 1) return lo;
    const mid = lo + Math.ceil((hi - lo) / 2);
    const l = this.build(lo, mid);
    const r = this.build(mid, hi);
    this.nodes.push(new KeyTable(2, 1024));
    this.lefts.push(l);
    this.rights.push(r);
    return ~(this.nodes.length - 1);
  }

  /** The root key of `s` in `this.key`; false if some half of it was never stored (only when !add). */
  private rootKey(s: Uint32Array, add: boolean): boolean {
    const vals = this.vals;
    const key = this.key;
    const memo = this.memo;
    for (let n = 0; n < this.nodes.length; n++) {
      const l = this.lefts[n];
      const r = this.rights[n];
      const a = l >= 0 ? s[l] : vals[~l];
      const b = r >= 0 ? s[r] : vals[~r];
      if (memo[n * 3] === a && memo[n * 3 + 1] === b && memo[n * 3 + 2] !== -1 >>> 0) {
        vals[n] = memo[n * 3 + 2];
        continue;
      }
      const hint = this.hint;
      if (hint[n * 3] === a && hint[n * 3 + 1] === b && hint[n * 3 + 2] !== -1 >>> 0) {
        vals[n] = hint[n * 3 + 2];
        continue;
      }
      key[0] = a;
      key[1] = b;
      let v: number;
      if (add) {
        v = this.nodes[n].insert(key, 0);
        if (v < 0) v = ~v;
      } else {
        v = this.nodes[n].find(key, 0);
        if (v < 0) return false;
      }
      vals[n] = v;
      memo[n * 3] = a;
      memo[n * 3 + 1] = b;
      memo[n * 3 + 2] = v;
    }
    const refs = this.rootRefs;
    for (let i = 0; i < refs.length; i++) key[i] = refs[i] >= 0 ? s[refs[i]] : vals[~refs[i]];
    return true;
  }

  /** Adds `s` unless present. Returns its number and whether it is new (as the sign: new → ~index). */
  insert(s: Uint32Array, parent: number): number {
    let r: number;
    if (this.nodes.length === 0) r = this.root.insert(s, 0);
    else {
      if (parent !== this.hintParent) this.setHint(parent);
      this.rootKey(s, true);
      r = this.root.insert(this.key, 0);
    }
    if (r < 0) {
      this.parents.append(~r, parent);
      this.count++;
    }
    return r;
  }

  /** The same states, numbers and parent links in a tree-compressed store (this one must be plain, of 3 or
   *  more words), if this store and the new one together stay within `maxBytes` while it is built and the
   *  new one can then grow once more; otherwise `copy` is null. `smaller`: whether the new store held
   *  fewer bytes per state than this one (as far as it got). This store must not be used after a copy: the
   *  new one takes over its parent links. */
  compressedCopy(maxBytes: number): { copy: StateStore | null; smaller: boolean } {
    const c = new StateStore(this.words, Math.max(this.count, 1 << 16), { compress: true });
    const buf = new Uint32Array(this.words);
    const smaller = () => c.count > 0 && c.bytesPerState() < this.bytesPerState();
    let checkAt = 0; // the memory is tested whenever the new store may allocate (as in the explorer)
    for (let i = 0; i < this.count; i++) {
      if (i >= checkAt) {
        if (this.bytes + c.nextGrowthBytes() > maxBytes) return { copy: null, smaller: smaller() };
        checkAt = i + Math.max(1, c.room());
      }
      this.copyTo(i, buf);
      c.rootKey(buf, true);
      c.root.insert(c.key, 0);
      c.count++;
    }
    if (c.nextGrowthBytes() > maxBytes) return { copy: null, smaller: smaller() }; // it could not go on
    c.parents = this.parents;
    return { copy: c, smaller: true };
  }

  /** Whether states are stored tree-compressed. */
  get compressed(): boolean {
    return this.nodes.length > 0;
  }

  /** Remembers the parts of state `parent` (just read by the explorer, so in cache). */
  private setHint(parent: number): void {
    this.hintParent = parent;
    if (parent < 0 || parent >= this.count) {
      this.hint.fill(-1 >>> 0);
      return;
    }
    const refs = this.rootRefs;
    for (let k = 0; k < refs.length; k++) this.hintNode(refs[k], this.root.word(parent, k));
  }

  private hintNode(ref: number, v: number): void {
    if (ref >= 0) return;
    const n = ~ref;
    const node = this.nodes[n];
    this.hint[n * 3] = node.word(v, 0);
    this.hint[n * 3 + 1] = node.word(v, 1);
    this.hint[n * 3 + 2] = v;
    this.hintNode(this.lefts[n], node.word(v, 0));
    this.hintNode(this.rights[n], node.word(v, 1));
  }

  /** The number of state `s`, or -1 if it is not stored. */
  lookup(s: Uint32Array): number {
    if (this.nodes.length === 0) return this.root.find(s, 0);
    return this.rootKey(s, false) ? this.root.find(this.key, 0) : -1;
  }

  /** State `i`'s words (a fresh array). */
  get(i: number): Uint32Array {
    const out = new Uint32Array(this.words);
    this.copyTo(i, out);
    return out;
  }

  /** Writes state `i`'s words into `dst` (no allocation). */
  copyTo(i: number, dst: Uint32Array): void {
    if (this.nodes.length === 0) {
      this.root.copyKey(i, dst);
      return;
    }
    const refs = this.rootRefs;
    for (let k = 0; k < refs.length; k++) this.expand(refs[k], this.root.word(i, k), dst);
  }

  private expand(ref: number, v: number, dst: Uint32Array): void {
    if (ref >= 0) {
      dst[ref] = v;
      return;
    }
    const node = this.nodes[~ref];
    this.expand(this.lefts[~ref], node.word(v, 0), dst);
    this.expand(this.rights[~ref], node.word(v, 1), dst);
  }

  parent(i: number): number {
    return this.parents.get(i);
  }

  /** The chain of state numbers from an initial state to `i`. */
  path(i: number): number[] {
    const out: number[] = [];
    for (let k = i; k >= 0; k = this.parents.get(k)) out.push(k);
    return out.reverse();
  }

  /** Bytes allocated. */
  get bytes(): number {
    let b = this.root.bytes + this.parents.bytes;
    for (const t of this.nodes) b += t.bytes;
    return b;
  }

  /** Bytes per stored state: what the states, their parent links and the hash tables use. */
  bytesPerState(): number {
    if (this.count === 0) return 0;
    let b = this.root.usedBytes + this.parents.usedBytes(this.count);
    for (const t of this.nodes) b += t.usedBytes;
    return b / this.count;
  }

  /** How many more states can be stored before the store allocates memory. A state adds at most one key to
   *  each table. */
  room(): number {
    let room = Math.min(this.root.room(), this.parents.room(this.count));
    for (const t of this.nodes) room = Math.min(room, t.room());
    return room;
  }

  /** The memory the store may hold at most during its next insertion: to stop before, not after, a bound. */
  nextGrowthBytes(): number {
    let b = this.bytes + this.root.nextGrowthBytes() + this.parents.nextGrowthBytes(this.count);
    for (const t of this.nodes) b += t.nextGrowthBytes();
    return b;
  }
}
