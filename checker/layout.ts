// The packed state layout: every variable, program counter and thread flag is a bit field inside a fixed
// number of 32-bit words. A field never straddles two words, so a read is one load, a shift and a mask.

export interface Field {
  word: number; // index of the word (for thread locals: relative to the thread's block)
  shift: number;
  bits: number; // 1..32
  lo: number; // stored value = value - lo
  mask: number; // 2^bits - 1
}

export function bitsFor(values: number): number {
  let bits = 1;
  while (bits < 32 && 2 ** bits < values) bits++;
  return bits;
}

/** First-fit packing of fields into words. */
export class Packer {
  private readonly free: number[] = []; // free bits left in each word
  readonly fields: Field[] = [];

  constructor(private readonly firstWord = 0) {}

  get words(): number {
    return this.free.length;
  }

  add(bits: number, lo = 0): Field {
    let w = this.free.findIndex((f) => f >= bits);
    if (w < 0) {
      w = this.free.length;
      this.free.push(32);
    }
    const field: Field = {
      word: this.firstWord + w,
      shift: 32 - this.free[w],
      bits,
      lo,
      mask: bits === 32 ? 0xffffffff : 2 ** bits - 1,
    };
    this.free[w] -= bits;
    this.fields.push(field);
    return field;
  }
}

export function mask(f: Field): number {
  return f.mask;
}

export function readField(s: Uint32Array, f: Field, base = 0): number {
  const w = s[base + f.word];
  return (f.bits === 32 ? w : (w >>> f.shift) & mask(f)) + f.lo;
}

export function writeField(s: Uint32Array, f: Field, value: number, base = 0): void {
  const v = value - f.lo;
  if (f.bits === 32) {
    s[base + f.word] = v >>> 0;
    return;
  }
  const m = mask(f);
  s[base + f.word] = ((s[base + f.word] & ~(m << f.shift)) | ((v & m) << f.shift)) >>> 0;
}

/** JS source reading a field; `base` is a JS expression for the word offset of the field's block. */
export function readSource(state: string, f: Field, base?: string): string {
  const idx = base === undefined ? `${f.word}` : f.word === 0 ? base : `${base} + ${f.word}`;
  const raw =
    f.bits === 32
      ? `${state}[${idx}]`
      : f.shift === 0
        ? `(${state}[${idx}] & ${mask(f)})`
        : `((${state}[${idx}] >>> ${f.shift}) & ${mask(f)})`;
  return f.lo === 0 ? raw : `(${raw} + ${f.lo})`;
}

/** JS statement writing `value` (a JS expression already within range) into a field. */
export function writeSource(state: string, f: Field, value: string, base?: string): string {
  const idx = base === undefined ? `${f.word}` : f.word === 0 ? base : `${base} + ${f.word}`;
  const v = f.lo === 0 ? value : `(${value}) - ${f.lo}`;
  if (f.bits === 32) return `${state}[${idx}] = ${v};`;
  const m = mask(f);
  return `${state}[${idx}] = (${state}[${idx}] & ${~(m << f.shift) >>> 0}) | (((${v}) & ${m}) << ${f.shift});`;
}
