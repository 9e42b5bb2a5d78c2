// The visited-state store: insertion and deduplication (the sign of the result says whether a state is
// new), parent links and paths, growth of the tables far past their initial size, keys whose hashes collide,
// and the tree-compressed layout against the plain one.
import { describe, expect, it } from "vitest";
import { hashKey, KeyTable, StateStore } from "../../checker/store.js";

const st = (...xs: number[]) => Uint32Array.from(xs);

describe("StateStore", () => {
  it("numbers new states in insertion order and reports them as ~index", () => {
    const s = new StateStore(2);
    expect(s.count).toBe(0);
    expect(s.insert(st(1, 2), -1)).toBe(~0);
    expect(s.insert(st(2, 1), 0)).toBe(~1);
    expect(s.insert(st(0, 0), 1)).toBe(~2);
    expect(s.count).toBe(3);
    expect([...s.get(0)]).toEqual([1, 2]);
    expect([...s.get(1)]).toEqual([2, 1]);
    expect([...s.get(2)]).toEqual([0, 0]);
  });

  it("returns the existing index (non-negative) for a state already stored, and does not store it again", () => {
    const s = new StateStore(3);
    s.insert(st(7, 8, 9), -1);
    s.insert(st(7, 8, 10), 0);
    expect(s.insert(st(7, 8, 9), 1)).toBe(0);
    expect(s.insert(st(7, 8, 10), 0)).toBe(1);
    expect(s.count).toBe(2);
  });

  it("copies the state: changing the caller's buffer afterwards changes nothing stored", () => {
    const s = new StateStore(2);
    const buf = st(5, 6);
    s.insert(buf, -1);
    buf[0] = 99;
    expect([...s.get(0)]).toEqual([5, 6]);
    expect(s.insert(st(5, 6), 0)).toBe(0);
    expect(s.insert(buf, 0)).toBe(~1);
  });

  it("stores only the first `words` words of a longer buffer", () => {
    const s = new StateStore(2);
    expect(s.insert(st(1, 2, 3, 4), -1)).toBe(~0);
    expect([...s.get(0)]).toEqual([1, 2]);
    expect(s.insert(st(1, 2, 9, 9), 0)).toBe(0);
  });

  it("distinguishes states that differ only in the high bit or only in the last word", () => {
    const s = new StateStore(2);
    expect(s.insert(st(0, 0), -1)).toBe(~0);
    expect(s.insert(st(0x80000000, 0), 0)).toBe(~1);
    expect(s.insert(st(0, 0x80000000), 0)).toBe(~2);
    expect(s.insert(st(0xffffffff, 0xffffffff), 0)).toBe(~3);
    expect(s.insert(st(0x80000000, 0), 3)).toBe(1);
    expect(s.count).toBe(4);
  });

  it("keeps the parent of the first insertion when an equal state comes again from another parent", () => {
    const s = new StateStore(1);
    s.insert(st(0), -1); // 0
    s.insert(st(1), 0); // 1
    s.insert(st(2), 0); // 2
    s.insert(st(3), 1); // 3, first reached from 1
    expect(s.insert(st(3), 2)).toBe(3); // again from 2
    expect(s.parent(3)).toBe(1);
    expect(s.path(3)).toEqual([0, 1, 3]);
  });

  it("rebuilds paths from the parent links, from a root (parent -1) to the state", () => {
    const s = new StateStore(1);
    s.insert(st(10), -1);
    for (let i = 1; i <= 5; i++) s.insert(st(10 + i), i - 1);
    expect(s.parent(0)).toBe(-1);
    expect(s.path(0)).toEqual([0]);
    expect(s.path(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.path(5).map((i) => s.get(i)[0])).toEqual([10, 11, 12, 13, 14, 15]);
  });

  it("an all-zero state is a state like any other", () => {
    const s = new StateStore(1, 16);
    expect(s.insert(st(0), -1)).toBe(~0);
    expect(s.insert(st(0), 0)).toBe(0);
    expect(s.count).toBe(1);
  });

  it.each([false, true])("grows past the initial capacity (200 000 distinct states, compress: %s)", (compress) => {
    const N = 200_000;
    const s = new StateStore(3, 16, { compress });
    const before = s.bytes;
    const buf = new Uint32Array(3);
    const make = (i: number) => {
      // Distinct states whose words are correlated, so that a weak hash would collide a lot.
      buf[0] = i;
      buf[1] = i >>> 3;
      buf[2] = (i * 2654435761) >>> 0;
      return buf;
    };
    let wrong = 0;
    for (let i = 0; i < N; i++) if (s.insert(make(i), i - 1) !== ~i) wrong++;
    expect(wrong).toBe(0);
    expect(s.count).toBe(N);
    expect(s.bytes).toBeGreaterThan(before);
    // Every state is still there, at its number, with its parent; inserting it again finds it.
    for (let i = 0; i < N; i += 997) {
      expect([...s.get(i)]).toEqual([...make(i)]);
      expect(s.parent(i)).toBe(i - 1);
    }
    let found = 0;
    for (let i = 0; i < N; i++) if (s.insert(make(i), 0) === i) found++;
    expect(found).toBe(N);
    expect(s.count).toBe(N);
    expect(s.parent(N - 1)).toBe(N - 2); // not overwritten by the second insertions
    expect(s.path(N - 1)).toHaveLength(N);
  });

  it("grows from the default capacity too, and reports memory per state", () => {
    const s = new StateStore(1);
    const start = s.bytes;
    for (let i = 0; i < 70_000; i++) s.insert(st(i * 7), -1);
    expect(s.count).toBe(70_000);
    expect(s.bytes).toBeGreaterThan(start);
    // one word of state, a byte of parent link and a hash slot at load at most 0.8
    expect(s.bytesPerState()).toBeGreaterThanOrEqual(4 + 1 + 4 / 0.8);
    expect(s.bytesPerState()).toBeLessThan(4 + 4 + 4 / 0.3);
    expect(s.insert(st(69_999 * 7), 0)).toBe(69_999);
  });

  it("bytesPerState is 0 when empty", () => {
    expect(new StateStore(4).bytesPerState()).toBe(0);
  });

  it("nextGrowthBytes announces every growth before it happens, and is the current size otherwise", () => {
    for (const [words, compress] of [
      [1, false],
      [2, false],
      [4, false],
      [4, true],
      [7, true],
    ] as const) {
      const s = new StateStore(words, 16, { compress });
      expect(s.nextGrowthBytes()).toBe(s.bytes);
      const buf = new Uint32Array(words);
      let grew = 0;
      for (let i = 0; i < 5000; i++) {
        const expected = s.nextGrowthBytes();
        const before = s.bytes;
        for (let w = 0; w < words; w++) buf[w] = (i * (w + 3)) ^ (i >>> w);
        s.insert(buf, i - 1);
        expect(s.bytes).toBeLessThanOrEqual(expected);
        if (s.bytes > before) grew++;
        else expect(expected).toBeGreaterThanOrEqual(before);
      }
      expect(grew).toBeGreaterThan(3);
    }
  });

  it("room counts the states that can be stored before any allocation", () => {
    for (const [words, compress, back] of [
      [2, false, false],
      [4, false, false],
      [3, false, true], // parents that go back: wide blocks of parent links
      [4, true, false],
      [7, true, true],
    ] as const) {
      // compressed: the tables of halves fill first (the root's is larger), and room must see them
      const s = new StateStore(words, compress ? 4096 : 16, { compress });
      const buf = new Uint32Array(words);
      let checked = 0;
      for (let i = 0; i < 3000; ) {
        const room = s.room();
        const before = s.bytes;
        for (let k = 0; k < Math.max(room, 1); k++, i++) {
          for (let w = 0; w < words; w++) buf[w] = (i * (w + 5)) ^ (i >>> w);
          s.insert(buf, back && i % 2 === 1 ? Math.floor(i / 3) : i - 1);
          if (k < room) expect(s.bytes).toBe(before);
        }
        if (room > 0) checked++;
      }
      expect(checked).toBeGreaterThan(3);
    }
  });

  it("room spans many states, not one: the memory bound is tested only when something may grow", () => {
    const s = new StateStore(2, 1 << 16);
    for (let i = 0; i < 1000; i++) s.insert(st(i, 1), i - 1);
    expect(s.room()).toBeGreaterThan(500);
  });

  it("a store sized for its states from the start never grows on the way", () => {
    const s = new StateStore(3, 200_000);
    const before = s.bytes;
    const buf = new Uint32Array(3);
    let grew = 0;
    for (let i = 0; i < 200_000; i++) {
      buf[0] = i;
      buf[1] = i >>> 2;
      s.insert(buf, i - 1);
      if (s.bytes !== before) grew++;
    }
    expect(grew).toBe(0);
    expect(s.count).toBe(200_000);
  });

  it("finds states whose hashes collide completely (same home slot, same fingerprint) and keeps them apart", () => {
    // Two 2-word keys with equal 32-bit hashes, found by a birthday search (both words vary: with one word
    // fixed the hash is a bijection of the other; the second word is not linear in the first, which the hash
    // could map one to one).
    const seen = new Map<number, number>();
    const k = new Uint32Array(2);
    const second = (i: number) => (Math.imul(i, i) + 7) >>> 0;
    let pair: [number, number] | null = null;
    for (let i = 0; pair === null && i < 1 << 20; i++) {
      k[0] = i;
      k[1] = second(i);
      const h = hashKey(k, 0, 2);
      const j = seen.get(h);
      if (j !== undefined) pair = [j, i];
      else seen.set(h, i);
    }
    expect(pair).not.toBeNull();
    const [i, j] = pair!;
    const [a, b] = [st(i, second(i)), st(j, second(j))];
    expect(hashKey(a, 0, 2)).toBe(hashKey(b, 0, 2));
    const s = new StateStore(2, 16);
    expect(s.insert(a, -1)).toBe(~0);
    expect(s.lookup(b)).toBe(-1);
    expect(s.insert(b, 0)).toBe(~1);
    expect(s.insert(a, 1)).toBe(0);
    expect(s.insert(b, 1)).toBe(1);
    // and across growth, which moves both again
    for (let n = 0; n < 1000; n++) s.insert(st(n, 1), 0);
    expect(s.lookup(a)).toBe(0);
    expect(s.lookup(b)).toBe(1);
    expect([...s.get(1)]).toEqual([...b]);
  });

  it("a key table compares whole keys when fingerprints agree (many keys, few fingerprint bits)", () => {
    // At 2^20 keys a slot has 11 bits of fingerprint: thousands of fingerprint matches between unequal keys.
    const t = new KeyTable(1, 16);
    const k = new Uint32Array(1);
    let wrong = 0;
    for (let i = 0; i < 1 << 20; i++) {
      k[0] = i * 2;
      if (t.insert(k, 0) !== ~i) wrong++;
    }
    for (let i = 0; i < 1 << 20; i++) {
      k[0] = i * 2;
      if (t.find(k, 0) !== i) wrong++;
      k[0] = i * 2 + 1; // never stored; most of these share a home slot and fingerprint with a stored key
      if (t.find(k, 0) !== -1) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it("lookup of absent states: unknown halves, and known halves in a combination never stored", () => {
    const s = new StateStore(4, 16, { compress: true });
    s.insert(st(1, 2, 3, 4), -1);
    s.insert(st(5, 6, 7, 8), 0);
    expect(s.lookup(st(1, 2, 3, 4))).toBe(0);
    expect(s.lookup(st(5, 6, 7, 8))).toBe(1);
    expect(s.lookup(st(1, 2, 7, 8))).toBe(-1); // both halves are stored, not together
    expect(s.lookup(st(9, 9, 3, 4))).toBe(-1); // a half never seen
    expect(s.lookup(st(0, 0, 0, 0))).toBe(-1);
    expect(s.count).toBe(2);
    expect(s.insert(st(1, 2, 7, 8), 1)).toBe(~2);
    expect([...s.get(2)]).toEqual([1, 2, 7, 8]);
  });

  it("tree-compressed and plain stores agree: same numbers, same states, same parents (3 to 9 words)", () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let words = 1; words <= 9; words++) {
      const a = new StateStore(words, 16, { compress: true });
      const b = new StateStore(words, 16);
      const buf = new Uint32Array(words);
      let wrong = 0;
      for (let i = 0; i < 5000; i++) {
        // few values per word, so halves repeat (as in real state spaces) and states repeat too
        for (let w = 0; w < words; w++) buf[w] = w === 0 ? rnd(64) : rnd(4) * 0x40000001;
        const parent = a.count === 0 ? -1 : rnd(a.count);
        if (a.insert(buf, parent) !== b.insert(buf, parent)) wrong++;
      }
      expect(a.count).toBe(b.count);
      expect(a.count).toBeGreaterThan(50);
      const out = new Uint32Array(words);
      for (let i = 0; i < a.count; i++) {
        a.copyTo(i, out);
        if (out.join() !== b.get(i).join() || a.parent(i) !== b.parent(i) || a.lookup(out) !== i) wrong++;
      }
      expect(wrong).toBe(0);
    }
  });

  it("parent links that go back or jump far (depth-first, several roots) are kept exactly", () => {
    const s = new StateStore(1, 16);
    const parents: number[] = [];
    let seed = 7;
    for (let i = 0; i < 3000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      // mostly breadth-first-like small steps, then stretches of arbitrary parents, roots, and big jumps
      const p =
        i === 0 || i % 1000 === 500 ? -1 : i < 1200 ? Math.floor(i / 3) : i < 2000 ? seed % i : i - 1 - (seed % 2);
      parents.push(p);
      expect(s.insert(st(i), p)).toBe(~i);
    }
    for (let i = 0; i < 3000; i++) expect(s.parent(i)).toBe(parents[i]);
    expect(s.path(2999)[0]).toBe(s.path(2999).includes(2500) ? 2500 : s.path(2999)[0]);
    expect(s.parent(s.path(2999)[0])).toBe(-1);
  });

  it("get returns a copy that later insertions do not change", () => {
    const s = new StateStore(4, 16, { compress: true });
    s.insert(st(1, 2, 3, 4), -1);
    const g = s.get(0);
    for (let i = 0; i < 1000; i++) s.insert(st(i, i, i, i), 0);
    expect([...g]).toEqual([1, 2, 3, 4]);
  });
});
