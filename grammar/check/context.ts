// What every pass of the semantic checks shares: the program, the options, the error sink, and the side
// tables (keyed by node identity) that become part of the CheckedModel.
import type { Block, Decl, Expr, Ident, Program, Span, Stmt } from "../ast.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { Callee, LocalVar, Resolution, ValueType, BodyInfo } from "../model.js";

export interface CheckOptions {
  /** `--set NAME=VALUE`: values that replace a `param`'s default (text: a label or member of an enum param's
   *  type, or a number written as text). */
  overrides?: ReadonlyMap<string, number | string>;
}

export interface SideTables {
  resolutions: Map<Expr | Ident, Resolution>;
  callees: Map<Expr, Callee>;
  types: Map<Expr, ValueType>;
  constValues: Map<Expr, number>;
  bodyOf: Map<Block, BodyInfo>;
  stmtLocals: Map<Stmt, LocalVar>;
}

export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly decls: Decl[];
  readonly tables: SideTables = {
    resolutions: new Map(),
    callees: new Map(),
    types: new Map(),
    constValues: new Map(),
    bodyOf: new Map(),
    stmtLocals: new Map(),
  };

  constructor(
    readonly program: Program,
    readonly options: CheckOptions,
  ) {
    this.decls = program.decls;
  }

  err(code: string, message: string, span: Span): void {
    this.diagnostics.push(error(code, message, span));
  }
}
