// Generated automatically by nearley, version 2.20.1
// http://github.com/Hardmath123/nearley
// Bypasses TS6133. Allow declared but unused functions.
// @ts-ignore
function id(d: any[]): any { return d[0]; }
declare var string: any;
declare var number: any;
declare var ident: any;

import { lexer } from "./lexer.js";
import { tok, join, mk, items, link } from "./build.js";

interface NearleyToken {
  value: any;
  [key: string]: any;
};

interface NearleyLexer {
  reset: (chunk: string, info: any) => void;
  next: () => NearleyToken | undefined;
  save: () => any;
  formatError: (token: never) => string;
  has: (tokenType: string) => boolean;
};

interface NearleyRule {
  name: string;
  symbols: NearleySymbol[];
  postprocess?: (d: any[], loc?: number, reject?: {}) => any;
};

type NearleySymbol = string | { literal: any } | { test: (token: any) => boolean };

interface Grammar {
  Lexer: NearleyLexer | undefined;
  ParserRules: NearleyRule[];
  ParserStart: string;
};

const grammar: Grammar = {
  Lexer: lexer,
  ParserRules: [
    {"name": "program", "symbols": ["decls"], "postprocess": (d) => mk.program(items(d[0]))},
    {"name": "decl", "symbols": [{"literal":"model"}, "ident", {"literal":";"}], "postprocess": (d) => ({ kind: "model", name: d[1], span: join(d[0], d[2]) })},
    {"name": "decl", "symbols": [{"literal":"param"}, "ident", {"literal":"="}, "expr", {"literal":";"}], "postprocess": (d) => ({ kind: "param", name: d[1], type: null, value: d[3], span: join(d[0], d[4]) })},
    {"name": "decl", "symbols": [{"literal":"param"}, "ident", {"literal":":"}, "ident", {"literal":"="}, "expr", {"literal":";"}], "postprocess": (d) => ({ kind: "param", name: d[1], type: d[3], value: d[5], span: join(d[0], d[6]) })},
    {"name": "decl", "symbols": [{"literal":"follows"}, "ident", (lexer.has("string") ? {type: "string"} : string), {"literal":";"}], "postprocess": (d) => ({ kind: "follows", project: d[1], version: mk.str(d[2]), span: join(d[0], d[3]) })},
    {"name": "decl", "symbols": [{"literal":"const"}, "ident", {"literal":"="}, "expr", {"literal":";"}], "postprocess": (d) => ({ kind: "const", name: d[1], value: d[3], span: join(d[0], d[4]) })},
    {"name": "decl", "symbols": [{"literal":"cpus"}, "expr", {"literal":";"}], "postprocess": (d) => ({ kind: "cpus", count: d[1], span: join(d[0], d[2]) })},
    {"name": "decl", "symbols": [{"literal":"import"}, (lexer.has("string") ? {type: "string"} : string), {"literal":";"}], "postprocess": (d) => mk.importDecl(d[0], d[1], d[2])},
    {"name": "decl", "symbols": [{"literal":"enum"}, "ident", {"literal":"{"}, "memberList", {"literal":"}"}], "postprocess": (d) => mk.enumDecl(d[0], d[1], d[3], d[4])},
    {"name": "decl", "symbols": ["space", {"literal":"{"}, "varDecls", {"literal":"}"}], "postprocess": (d) => ({ kind: "space", space: d[0].value, vars: items(d[2]), span: join(d[0], d[3]) })},
    {"name": "decl", "symbols": ["sourceRefs", "codeDecl"], "postprocess": (d) => mk.sourced(items(d[0]), d[1])},
    {"name": "decl", "symbols": [{"literal":"invariant"}, "ident", {"literal":":"}, "expr", {"literal":";"}], "postprocess": (d) => ({ kind: "invariant", name: d[1], expr: d[3], span: join(d[0], d[4]) })},
    {"name": "decl", "symbols": [{"literal":"reachable"}, "ident", {"literal":":"}, "expr", {"literal":";"}], "postprocess": (d) => ({ kind: "reachable", name: d[1], expr: d[3], span: join(d[0], d[4]) })},
    {"name": "decl", "symbols": [{"literal":"liveness"}, "ident", {"literal":":"}, "expr", {"literal":"leads_to"}, "expr", {"literal":";"}], "postprocess": (d) => ({ kind: "leads_to", name: d[1], from: d[3], to: d[5], span: join(d[0], d[6]) })},
    {"name": "decl", "symbols": [{"literal":"liveness"}, "ident", {"literal":":"}, {"literal":"always"}, {"literal":"eventually"}, "expr", {"literal":";"}], "postprocess": (d) => ({ kind: "always_eventually", name: d[1], expr: d[5], span: join(d[0], d[6]) })},
    {"name": "decl", "symbols": [{"literal":"fairness"}, {"literal":"weak"}, {"literal":";"}], "postprocess": (d) => ({ kind: "fairness", span: join(d[0], d[2]) })},
    {"name": "decl", "symbols": [{"literal":"counter"}, "ident", {"literal":";"}], "postprocess": (d) => ({ kind: "counter", name: d[1], span: join(d[0], d[2]) })},
    {"name": "codeDecl", "symbols": ["routineKind", "ident", {"literal":"("}, "params", {"literal":")"}, "returns", "block"], "postprocess": (d) => ({ kind: "routine", routine: d[0].value, name: d[1], params: d[3], returns: d[5], body: d[6], refs: [], span: join(d[0], d[6]) })},
    {"name": "codeDecl", "symbols": [{"literal":"handler"}, "ident", "block"], "postprocess": (d) => ({ kind: "handler", name: d[1], body: d[2], refs: [], span: join(d[0], d[2]) })},
    {"name": "codeDecl", "symbols": [{"literal":"on"}, {"literal":"exit"}, "block"], "postprocess": (d) => ({ kind: "on_exit", body: d[2], refs: [], span: join(d[0], d[2]) })},
    {"name": "codeDecl", "symbols": [{"literal":"thread"}, "ident", "threadIndex", "threadAttrs", "block"], "postprocess": (d) => ({ kind: "thread", name: d[1], index: d[2], attrs: items(d[3]), body: d[4], refs: [], span: join(d[0], d[4]) })},
    {"name": "codeDecl", "symbols": [{"literal":"kthread"}, "ident", "placement", "threadAttrs", "block"], "postprocess": (d) => ({ kind: "kthread", name: d[1], perCpu: d[2] === null, attrs: d[2] ? [d[2], ...items(d[3])] : items(d[3]), body: d[4], refs: [], span: join(d[0], d[4]) })},
    {"name": "sourceRef", "symbols": [{"literal":"@"}, "ident", (lexer.has("string") ? {type: "string"} : string)], "postprocess": (d) => ({ project: d[1], version: null, location: mk.str(d[2]), span: join(d[0], d[2]) })},
    {"name": "sourceRef", "symbols": [{"literal":"@"}, "ident", (lexer.has("string") ? {type: "string"} : string), (lexer.has("string") ? {type: "string"} : string)], "postprocess": (d) => ({ project: d[1], version: mk.str(d[2]), location: mk.str(d[3]), span: join(d[0], d[3]) })},
    {"name": "memberList$ebnf$1", "symbols": [{"literal":","}], "postprocess": id},
    {"name": "memberList$ebnf$1", "symbols": [], "postprocess": () => null},
    {"name": "memberList", "symbols": ["member", "moreMembers", "memberList$ebnf$1"], "postprocess": (d) => [d[0], ...items(d[1])]},
    {"name": "member", "symbols": ["ident"], "postprocess": (d) => ({ name: d[0], label: null })},
    {"name": "member", "symbols": ["ident", {"literal":"="}, (lexer.has("string") ? {type: "string"} : string)], "postprocess": (d) => ({ name: d[0], label: mk.str(d[2]) })},
    {"name": "space", "symbols": [{"literal":"shared"}], "postprocess": id},
    {"name": "space", "symbols": [{"literal":"kernel"}], "postprocess": id},
    {"name": "space", "symbols": [{"literal":"percpu"}], "postprocess": id},
    {"name": "space", "symbols": [{"literal":"ghost"}], "postprocess": id},
    {"name": "routineKind", "symbols": [{"literal":"proc"}], "postprocess": id},
    {"name": "routineKind", "symbols": [{"literal":"kproc"}], "postprocess": id},
    {"name": "routineKind", "symbols": [{"literal":"syscall"}], "postprocess": id},
    {"name": "params", "symbols": [], "postprocess": () => []},
    {"name": "params", "symbols": ["param", "moreParams"], "postprocess": (d) => [d[0], ...items(d[1])]},
    {"name": "param", "symbols": ["ident", {"literal":":"}, "type"], "postprocess": (d) => ({ name: d[0], type: d[2], span: join(d[0], d[2]) })},
    {"name": "returns", "symbols": [], "postprocess": () => null},
    {"name": "returns", "symbols": [{"literal":":"}, "type"], "postprocess": (d) => d[1]},
    {"name": "threadIndex", "symbols": [], "postprocess": () => null},
    {"name": "threadIndex", "symbols": [{"literal":"["}, "ident", {"literal":"in"}, "additive", {"literal":".."}, "additive", {"literal":"]"}], "postprocess": (d) => ({ variable: d[1], lo: d[3], hi: d[5] })},
    {"name": "placement", "symbols": [{"literal":"per"}, {"literal":"cpu"}], "postprocess": () => null},
    {"name": "placement", "symbols": ["onCpu"], "postprocess": id},
    {"name": "threadAttr", "symbols": ["onCpu"], "postprocess": id},
    {"name": "threadAttr", "symbols": [{"literal":"killable"}], "postprocess": (d) => ({ kind: "killable", span: tok(d[0]) })},
    {"name": "threadAttr", "symbols": [{"literal":"fair"}], "postprocess": (d) => ({ kind: "fair", span: tok(d[0]) })},
    {"name": "threadAttr", "symbols": [{"literal":"handler"}, "ident"], "postprocess": (d) => ({ kind: "handler", name: d[1], span: join(d[0], d[1]) })},
    {"name": "onCpu", "symbols": [{"literal":"on"}, {"literal":"cpu"}, "additive"], "postprocess": (d) => ({ kind: "on_cpu", cpu: d[2], span: join(d[0], d[2]) })},
    {"name": "type", "symbols": [{"literal":"bool"}], "postprocess": (d) => ({ kind: "bool", span: tok(d[0]) })},
    {"name": "type", "symbols": [{"literal":"word"}], "postprocess": (d) => ({ kind: "word", span: tok(d[0]) })},
    {"name": "type", "symbols": [{"literal":"tid"}], "postprocess": (d) => ({ kind: "tid", span: tok(d[0]) })},
    {"name": "type", "symbols": [{"literal":"addr"}], "postprocess": (d) => ({ kind: "addr", span: tok(d[0]) })},
    {"name": "type", "symbols": [{"literal":"tidset"}], "postprocess": (d) => ({ kind: "tidset", span: tok(d[0]) })},
    {"name": "type", "symbols": [{"literal":"int"}, "additive", {"literal":".."}, "additive"], "postprocess": (d) => ({ kind: "int", lo: d[1], hi: d[3], span: join(d[0], d[3]) })},
    {"name": "type", "symbols": [{"literal":"tidqueue"}, {"literal":"<"}, "primary", {"literal":">"}], "postprocess": (d) => ({ kind: "tidqueue", capacity: d[2], span: join(d[0], d[3]) })},
    {"name": "type", "symbols": ["ident"], "postprocess": (d) => ({ kind: "named", name: d[0], span: d[0].span })},
    {"name": "varDecl", "symbols": ["type", "ident", "arraySize", "initializer", {"literal":";"}], "postprocess": (d) => ({ kind: "var", type: d[0], name: d[1], size: d[2], init: d[3], span: join(d[0], d[4]) })},
    {"name": "arraySize", "symbols": [], "postprocess": () => null},
    {"name": "arraySize", "symbols": [{"literal":"["}, "expr", {"literal":"]"}], "postprocess": (d) => d[1]},
    {"name": "initializer", "symbols": [], "postprocess": () => null},
    {"name": "initializer", "symbols": [{"literal":"="}, "expr"], "postprocess": (d) => d[1]},
    {"name": "initializer", "symbols": [{"literal":"="}, {"literal":"{"}, "expr", "moreExprs", {"literal":"}"}], "postprocess": (d) => [d[2], ...items(d[3])]},
    {"name": "block", "symbols": [{"literal":"{"}, "stmts", {"literal":"}"}], "postprocess": (d) => ({ kind: "block", stmts: items(d[1]), span: join(d[0], d[2]) })},
    {"name": "stmt", "symbols": ["sourceRefs", "plainStmt"], "postprocess": (d) => mk.sourcedStmt(items(d[0]), d[1])},
    {"name": "plainStmt", "symbols": ["varDecl"], "postprocess": id},
    {"name": "plainStmt", "symbols": ["ident", {"literal":":"}, "stmt"], "postprocess": (d) => ({ kind: "label", label: d[0], body: d[2], span: join(d[0], d[2]) })},
    {"name": "plainStmt", "symbols": ["lvalue", {"literal":"="}, "expr", {"literal":";"}], "postprocess": (d) => ({ kind: "assign", target: d[0], value: d[2], span: join(d[0], d[3]) })},
    {"name": "plainStmt", "symbols": ["call", {"literal":";"}], "postprocess": (d) => ({ kind: "expr", expr: d[0], span: join(d[0], d[1]) })},
    {"name": "plainStmt", "symbols": ["ifStmt"], "postprocess": id},
    {"name": "plainStmt", "symbols": [{"literal":"while"}, {"literal":"("}, "expr", {"literal":")"}, "block"], "postprocess": (d) => ({ kind: "while", cond: d[2], body: d[4], span: join(d[0], d[4]) })},
    {"name": "plainStmt", "symbols": [{"literal":"for"}, {"literal":"("}, "ident", {"literal":"in"}, "additive", {"literal":".."}, "additive", {"literal":")"}, "block"], "postprocess": (d) => ({ kind: "for", variable: d[2], lo: d[4], hi: d[6], body: d[8], span: join(d[0], d[8]) })},
    {"name": "plainStmt", "symbols": [{"literal":"either"}, "block", {"literal":"or"}, "block", "moreBlocks"], "postprocess": (d) => mk.either(d[0], [d[1], d[3], ...items(d[4])])},
    {"name": "plainStmt", "symbols": [{"literal":"choose"}, "ident", {"literal":"in"}, "additive", {"literal":".."}, "additive", "chooseWhere", {"literal":";"}], "postprocess": (d) => ({ kind: "choose", variable: d[1], lo: d[3], hi: d[5], where: d[6], span: join(d[0], d[7]) })},
    {"name": "plainStmt", "symbols": [{"literal":"choose"}, "ident", {"literal":"where"}, "expr", {"literal":";"}], "postprocess": (d) => ({ kind: "choose", variable: d[1], lo: null, hi: null, where: d[3], span: join(d[0], d[4]) })},
    {"name": "plainStmt", "symbols": [{"literal":"atomic"}, "block"], "postprocess": (d) => ({ kind: "atomic", body: d[1], span: join(d[0], d[1]) })},
    {"name": "plainStmt", "symbols": [{"literal":"nopreempt"}, "block"], "postprocess": (d) => ({ kind: "nopreempt", body: d[1], span: join(d[0], d[1]) })},
    {"name": "plainStmt", "symbols": [{"literal":"await"}, "expr", {"literal":";"}], "postprocess": (d) => ({ kind: "await", cond: d[1], interruptible: false, span: join(d[0], d[2]) })},
    {"name": "plainStmt", "symbols": [{"literal":"await"}, {"literal":"interruptible"}, "expr", {"literal":";"}], "postprocess": (d) => ({ kind: "await", cond: d[2], interruptible: true, span: join(d[0], d[3]) })},
    {"name": "plainStmt", "symbols": [{"literal":"assert"}, "expr", {"literal":";"}], "postprocess": (d) => ({ kind: "assert", cond: d[1], span: join(d[0], d[2]) })},
    {"name": "plainStmt", "symbols": [{"literal":"return"}, {"literal":";"}], "postprocess": (d) => ({ kind: "return", value: null, span: join(d[0], d[1]) })},
    {"name": "plainStmt", "symbols": [{"literal":"return"}, "expr", {"literal":";"}], "postprocess": (d) => ({ kind: "return", value: d[1], span: join(d[0], d[2]) })},
    {"name": "plainStmt", "symbols": [{"literal":"skip"}, {"literal":";"}], "postprocess": (d) => ({ kind: "skip", span: join(d[0], d[1]) })},
    {"name": "plainStmt", "symbols": [{"literal":"break"}, {"literal":";"}], "postprocess": (d) => ({ kind: "break", span: join(d[0], d[1]) })},
    {"name": "plainStmt", "symbols": [{"literal":"continue"}, {"literal":";"}], "postprocess": (d) => ({ kind: "continue", span: join(d[0], d[1]) })},
    {"name": "plainStmt", "symbols": [{"literal":"goto"}, "ident", {"literal":";"}], "postprocess": (d) => ({ kind: "goto", label: d[1], span: join(d[0], d[2]) })},
    {"name": "chooseWhere", "symbols": [], "postprocess": () => null},
    {"name": "chooseWhere", "symbols": [{"literal":"where"}, "expr"], "postprocess": (d) => d[1]},
    {"name": "ifStmt", "symbols": [{"literal":"if"}, {"literal":"("}, "expr", {"literal":")"}, "block"], "postprocess": (d) => ({ kind: "if", cond: d[2], then: d[4], else: null, span: join(d[0], d[4]) })},
    {"name": "ifStmt", "symbols": [{"literal":"if"}, {"literal":"("}, "expr", {"literal":")"}, "block", {"literal":"else"}, "block"], "postprocess": (d) => ({ kind: "if", cond: d[2], then: d[4], else: d[6], span: join(d[0], d[6]) })},
    {"name": "ifStmt", "symbols": [{"literal":"if"}, {"literal":"("}, "expr", {"literal":")"}, "block", {"literal":"else"}, "ifStmt"], "postprocess": (d) => ({ kind: "if", cond: d[2], then: d[4], else: mk.wrap(d[6]), span: join(d[0], d[6]) })},
    {"name": "lvalue", "symbols": ["postfix"], "postprocess": id},
    {"name": "lvalue", "symbols": [{"literal":"*"}, "unary"], "postprocess": (d) => ({ kind: "unary", op: "*", operand: d[1], span: join(d[0], d[1]) })},
    {"name": "expr", "symbols": ["quant"], "postprocess": id},
    {"name": "quant$subexpression$1", "symbols": [{"literal":"forall"}]},
    {"name": "quant$subexpression$1", "symbols": [{"literal":"exists"}]},
    {"name": "quant", "symbols": ["quant$subexpression$1", "ident", {"literal":"in"}, "domain", {"literal":":"}, "quant"], "postprocess": (d) => ({ kind: "quant", quantifier: d[0][0].value, variable: d[1], domain: d[3], body: d[5], span: join(d[0][0], d[5]) })},
    {"name": "quant", "symbols": ["implies"], "postprocess": id},
    {"name": "domain", "symbols": ["additive", {"literal":".."}, "additive"], "postprocess": (d) => ({ kind: "range", lo: d[0], hi: d[2], span: join(d[0], d[2]) })},
    {"name": "domain", "symbols": [{"literal":"threads"}], "postprocess": (d) => ({ kind: "threads", span: tok(d[0]) })},
    {"name": "domain", "symbols": [{"literal":"cpus"}], "postprocess": (d) => ({ kind: "cpus", span: tok(d[0]) })},
    {"name": "implies", "symbols": ["logor", {"literal":"=>"}, "implies"], "postprocess": mk.binary},
    {"name": "implies", "symbols": ["logor"], "postprocess": id},
    {"name": "logor", "symbols": ["logor", {"literal":"||"}, "logand"], "postprocess": mk.binary},
    {"name": "logor", "symbols": ["logand"], "postprocess": id},
    {"name": "logand", "symbols": ["logand", {"literal":"&&"}, "bitor"], "postprocess": mk.binary},
    {"name": "logand", "symbols": ["bitor"], "postprocess": id},
    {"name": "bitor", "symbols": ["bitor", {"literal":"|"}, "bitxor"], "postprocess": mk.binary},
    {"name": "bitor", "symbols": ["bitxor"], "postprocess": id},
    {"name": "bitxor", "symbols": ["bitxor", {"literal":"^"}, "bitand"], "postprocess": mk.binary},
    {"name": "bitxor", "symbols": ["bitand"], "postprocess": id},
    {"name": "bitand", "symbols": ["bitand", {"literal":"&"}, "equality"], "postprocess": mk.binary},
    {"name": "bitand", "symbols": ["equality"], "postprocess": id},
    {"name": "equality$subexpression$1", "symbols": [{"literal":"=="}]},
    {"name": "equality$subexpression$1", "symbols": [{"literal":"!="}]},
    {"name": "equality", "symbols": ["equality", "equality$subexpression$1", "relation"], "postprocess": mk.binary},
    {"name": "equality", "symbols": ["relation"], "postprocess": id},
    {"name": "relation$subexpression$1", "symbols": [{"literal":"<"}]},
    {"name": "relation$subexpression$1", "symbols": [{"literal":"<="}]},
    {"name": "relation$subexpression$1", "symbols": [{"literal":">"}]},
    {"name": "relation$subexpression$1", "symbols": [{"literal":">="}]},
    {"name": "relation$subexpression$1", "symbols": [{"literal":"in"}]},
    {"name": "relation", "symbols": ["relation", "relation$subexpression$1", "shift"], "postprocess": mk.binary},
    {"name": "relation", "symbols": ["shift"], "postprocess": id},
    {"name": "shift$subexpression$1", "symbols": [{"literal":"<<"}]},
    {"name": "shift$subexpression$1", "symbols": [{"literal":">>"}]},
    {"name": "shift", "symbols": ["shift", "shift$subexpression$1", "additive"], "postprocess": mk.binary},
    {"name": "shift", "symbols": ["additive"], "postprocess": id},
    {"name": "additive$subexpression$1", "symbols": [{"literal":"+"}]},
    {"name": "additive$subexpression$1", "symbols": [{"literal":"-"}]},
    {"name": "additive", "symbols": ["additive", "additive$subexpression$1", "multiplicative"], "postprocess": mk.binary},
    {"name": "additive", "symbols": ["multiplicative"], "postprocess": id},
    {"name": "multiplicative$subexpression$1", "symbols": [{"literal":"*"}]},
    {"name": "multiplicative$subexpression$1", "symbols": [{"literal":"/"}]},
    {"name": "multiplicative$subexpression$1", "symbols": [{"literal":"%"}]},
    {"name": "multiplicative", "symbols": ["multiplicative", "multiplicative$subexpression$1", "unary"], "postprocess": mk.binary},
    {"name": "multiplicative", "symbols": ["unary"], "postprocess": id},
    {"name": "unary$subexpression$1", "symbols": [{"literal":"!"}]},
    {"name": "unary$subexpression$1", "symbols": [{"literal":"~"}]},
    {"name": "unary$subexpression$1", "symbols": [{"literal":"-"}]},
    {"name": "unary$subexpression$1", "symbols": [{"literal":"&"}]},
    {"name": "unary$subexpression$1", "symbols": [{"literal":"*"}]},
    {"name": "unary", "symbols": ["unary$subexpression$1", "unary"], "postprocess": (d) => ({ kind: "unary", op: d[0][0].value, operand: d[1], span: join(d[0][0], d[1]) })},
    {"name": "unary", "symbols": ["postfix"], "postprocess": id},
    {"name": "postfix", "symbols": ["postfix", {"literal":"["}, "expr", {"literal":"]"}], "postprocess": (d) => ({ kind: "index", base: d[0], index: d[2], span: join(d[0], d[3]) })},
    {"name": "postfix", "symbols": ["call"], "postprocess": id},
    {"name": "postfix", "symbols": ["primary"], "postprocess": id},
    {"name": "call", "symbols": ["callee", {"literal":"("}, "args", {"literal":")"}], "postprocess": (d) => ({ kind: "call", callee: d[0], args: d[2], span: join(d[0], d[3]) })},
    {"name": "callee", "symbols": ["ident"], "postprocess": id},
    {"name": "callee$subexpression$1", "symbols": [{"literal":"tid"}]},
    {"name": "callee$subexpression$1", "symbols": [{"literal":"exit"}]},
    {"name": "callee", "symbols": ["callee$subexpression$1"], "postprocess": (d) => ({ name: d[0][0].value, span: tok(d[0][0]) })},
    {"name": "args", "symbols": [], "postprocess": () => []},
    {"name": "args", "symbols": ["expr", "moreExprs"], "postprocess": (d) => [d[0], ...items(d[1])]},
    {"name": "primary", "symbols": [(lexer.has("number") ? {type: "number"} : number)], "postprocess": (d) => mk.num(d[0])},
    {"name": "primary", "symbols": [{"literal":"true"}], "postprocess": (d) => ({ kind: "bool", value: true, span: tok(d[0]) })},
    {"name": "primary", "symbols": [{"literal":"false"}], "postprocess": (d) => ({ kind: "bool", value: false, span: tok(d[0]) })},
    {"name": "primary", "symbols": [{"literal":"null"}], "postprocess": (d) => ({ kind: "null", span: tok(d[0]) })},
    {"name": "primary", "symbols": [{"literal":"self"}], "postprocess": (d) => ({ kind: "self", span: tok(d[0]) })},
    {"name": "primary", "symbols": [{"literal":"this_cpu"}], "postprocess": (d) => ({ kind: "this_cpu", span: tok(d[0]) })},
    {"name": "primary", "symbols": ["ident"], "postprocess": (d) => ({ kind: "name", name: d[0].name, span: d[0].span })},
    {"name": "primary", "symbols": [{"literal":"("}, "expr", {"literal":")"}], "postprocess": (d) => ({ kind: "paren", inner: d[1], span: join(d[0], d[2]) })},
    {"name": "ident", "symbols": [(lexer.has("ident") ? {type: "ident"} : ident)], "postprocess": (d) => ({ name: d[0].value, span: tok(d[0]) })},
    {"name": "decls", "symbols": [], "postprocess": () => null},
    {"name": "decls", "symbols": ["decls", "decl"], "postprocess": link},
    {"name": "varDecls", "symbols": [], "postprocess": () => null},
    {"name": "varDecls", "symbols": ["varDecls", "varDecl"], "postprocess": link},
    {"name": "threadAttrs", "symbols": [], "postprocess": () => null},
    {"name": "threadAttrs", "symbols": ["threadAttrs", "threadAttr"], "postprocess": link},
    {"name": "stmts", "symbols": [], "postprocess": () => null},
    {"name": "stmts", "symbols": ["stmts", "stmt"], "postprocess": link},
    {"name": "moreMembers", "symbols": [], "postprocess": () => null},
    {"name": "moreMembers", "symbols": ["moreMembers", {"literal":","}, "member"], "postprocess": link},
    {"name": "sourceRefs", "symbols": [], "postprocess": () => null},
    {"name": "sourceRefs", "symbols": ["sourceRefs", "sourceRef"], "postprocess": link},
    {"name": "moreParams", "symbols": [], "postprocess": () => null},
    {"name": "moreParams", "symbols": ["moreParams", {"literal":","}, "param"], "postprocess": link},
    {"name": "moreExprs", "symbols": [], "postprocess": () => null},
    {"name": "moreExprs", "symbols": ["moreExprs", {"literal":","}, "expr"], "postprocess": link},
    {"name": "moreBlocks", "symbols": [], "postprocess": () => null},
    {"name": "moreBlocks", "symbols": ["moreBlocks", {"literal":"or"}, "block"], "postprocess": link}
  ],
  ParserStart: "program",
};

export default grammar;
