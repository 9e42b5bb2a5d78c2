// The visited-state store: insertion and deduplication (the sign of the result says whether a state is
// new), parent links and paths, and growth of the arena and of the hash table far past their initial size.
import { describe, expect, it } from "vitest";
import { StateStore } from "../../checker/store.js";

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

  it("grows arena, parent links and hash table past the initial capacity (200 000 distinct states)", () => {
    const N = 200_000;
    const s = new StateStore(3, 16);
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
    // one word of state + one parent link + at least two hash slots' worth of table per state
    expect(s.bytesPerState()).toBeGreaterThanOrEqual(4 + 4 + 4);
    expect(s.insert(st(69_999 * 7), 0)).toBe(69_999);
  });

  it("bytesPerState is 0 when empty", () => {
    expect(new StateStore(4).bytesPerState()).toBe(0);
  });

  it("nextGrowthBytes announces the growth before it happens", () => {
    const s = new StateStore(2, 16);
    // capacity 16 states, 32 hash slots: the table doubles when the 17th state is stored, the arena when the 16th is
    for (let i = 0; i < 14; i++) s.insert(st(i, 0), -1);
    expect(s.nextGrowthBytes()).toBe(s.bytes);
    s.insert(st(14, 0), -1); // 15 stored: the next insertion fills the arena
    const expected = s.nextGrowthBytes();
    expect(expected).toBeGreaterThan(s.bytes);
    s.insert(st(15, 0), -1);
    s.insert(st(16, 0), -1); // arena and table have now grown
    expect(s.bytes).toBeLessThanOrEqual(expected);
    expect(s.bytes).toBeGreaterThan(16 * 2 * 4 + 16 * 4 + 32 * 4);
  });
});
