# The futexcheck language. Compiled by `npm run grammar` into grammar/futexcheck.ts (committed).
# Whitespace and comments never reach the parser (see lexer.ts). Precedence follows C; the semantic
# checks reject the classic traps (`w & M == x` is a type error).
@preprocessor typescript
@{%
import { lexer } from "./lexer.js";
import { tok, join, mk, items, link } from "./build.js";
%}
@lexer lexer

program      -> decls                                      {% (d) => mk.program(items(d[0])) %}

decl         -> "model" ident ";"                          {% (d) => ({ kind: "model", name: d[1], span: join(d[0], d[2]) }) %}
              | "param" ident "=" expr ";"                 {% (d) => ({ kind: "param", name: d[1], type: null, value: d[3], span: join(d[0], d[4]) }) %}
              | "param" ident ":" ident "=" expr ";"       {% (d) => ({ kind: "param", name: d[1], type: d[3], value: d[5], span: join(d[0], d[6]) }) %}
              | "follows" ident %string ";"                {% (d) => ({ kind: "follows", project: d[1], version: mk.str(d[2]), span: join(d[0], d[3]) }) %}
              | "const" ident "=" expr ";"                 {% (d) => ({ kind: "const", name: d[1], value: d[3], span: join(d[0], d[4]) }) %}
              | "cpus" expr ";"                            {% (d) => ({ kind: "cpus", count: d[1], span: join(d[0], d[2]) }) %}
              | "import" %string ";"                       {% (d) => mk.importDecl(d[0], d[1], d[2]) %}
              | "enum" ident "{" memberList "}"            {% (d) => mk.enumDecl(d[0], d[1], d[3], d[4]) %}
              | space "{" varDecls "}"                     {% (d) => ({ kind: "space", space: d[0].value, vars: items(d[2]), span: join(d[0], d[3]) }) %}
              | sourceRefs codeDecl                        {% (d) => mk.sourced(items(d[0]), d[1]) %}
              | "invariant" ident ":" expr ";"             {% (d) => ({ kind: "invariant", name: d[1], expr: d[3], span: join(d[0], d[4]) }) %}
              | "reachable" ident ":" expr ";"             {% (d) => ({ kind: "reachable", name: d[1], expr: d[3], span: join(d[0], d[4]) }) %}
              | "liveness" ident ":" expr "leads_to" expr ";"
                                                            {% (d) => ({ kind: "leads_to", name: d[1], from: d[3], to: d[5], span: join(d[0], d[6]) }) %}
              | "liveness" ident ":" "always" "eventually" expr ";"
                                                            {% (d) => ({ kind: "always_eventually", name: d[1], expr: d[5], span: join(d[0], d[6]) }) %}
              | "fairness" "weak" ";"                      {% (d) => ({ kind: "fairness", span: join(d[0], d[2]) }) %}
              | "counter" ident ";"                        {% (d) => ({ kind: "counter", name: d[1], span: join(d[0], d[2]) }) %}

# Declarations with code: a source reference before one applies to every step of its body.
codeDecl     -> routineKind ident "(" params ")" returns block
                                                            {% (d) => ({ kind: "routine", routine: d[0].value, name: d[1], params: d[3], returns: d[5], body: d[6], refs: [], span: join(d[0], d[6]) }) %}
              | "handler" ident block                      {% (d) => ({ kind: "handler", name: d[1], body: d[2], refs: [], span: join(d[0], d[2]) }) %}
              | "on" "exit" block                          {% (d) => ({ kind: "on_exit", body: d[2], refs: [], span: join(d[0], d[2]) }) %}
              | "thread" ident threadIndex threadAttrs block
                                                            {% (d) => ({ kind: "thread", name: d[1], index: d[2], attrs: items(d[3]), body: d[4], refs: [], span: join(d[0], d[4]) }) %}
              | "kthread" ident placement threadAttrs block
                                                            {% (d) => ({ kind: "kthread", name: d[1], perCpu: d[2] === null, attrs: d[2] ? [d[2], ...items(d[3])] : items(d[3]), body: d[4], refs: [], span: join(d[0], d[4]) }) %}
# `@glibc "nptl/pthread_mutex_unlock.c:164"`, or with the version it follows: `@linux "5.4" "kernel/futex.c:3470"`.
sourceRef    -> "@" ident %string                          {% (d) => ({ project: d[1], version: null, location: mk.str(d[2]), span: join(d[0], d[2]) }) %}
              | "@" ident %string %string                  {% (d) => ({ project: d[1], version: mk.str(d[2]), location: mk.str(d[3]), span: join(d[0], d[3]) }) %}
# Enum members, each with an optional display label: `V6_2 = "6.2"`.
memberList   -> member moreMembers ",":?                   {% (d) => [d[0], ...items(d[1])] %}
member       -> ident                                      {% (d) => ({ name: d[0], label: null }) %}
              | ident "=" %string                          {% (d) => ({ name: d[0], label: mk.str(d[2]) }) %}

space        -> "shared" {% id %} | "kernel" {% id %} | "percpu" {% id %} | "ghost" {% id %}
routineKind  -> "proc" {% id %} | "kproc" {% id %} | "syscall" {% id %}
params       -> null                                       {% () => [] %}
              | param moreParams                           {% (d) => [d[0], ...items(d[1])] %}
param        -> ident ":" type                             {% (d) => ({ name: d[0], type: d[2], span: join(d[0], d[2]) }) %}
returns      -> null                                       {% () => null %}
              | ":" type                                   {% (d) => d[1] %}
threadIndex  -> null                                       {% () => null %}
              | "[" ident "in" additive ".." additive "]"  {% (d) => ({ variable: d[1], lo: d[3], hi: d[5] }) %}
placement    -> "per" "cpu"                                {% () => null %}
              | onCpu                                      {% id %}
threadAttr   -> onCpu                                      {% id %}
              | "killable"                                 {% (d) => ({ kind: "killable", span: tok(d[0]) }) %}
              | "fair"                                     {% (d) => ({ kind: "fair", span: tok(d[0]) }) %}
              | "handler" ident                            {% (d) => ({ kind: "handler", name: d[1], span: join(d[0], d[1]) }) %}
onCpu        -> "on" "cpu" additive                        {% (d) => ({ kind: "on_cpu", cpu: d[2], span: join(d[0], d[2]) }) %}

# ---------- types and variables ----------
type         -> "bool"                                     {% (d) => ({ kind: "bool", span: tok(d[0]) }) %}
              | "word"                                     {% (d) => ({ kind: "word", span: tok(d[0]) }) %}
              | "tid"                                      {% (d) => ({ kind: "tid", span: tok(d[0]) }) %}
              | "addr"                                     {% (d) => ({ kind: "addr", span: tok(d[0]) }) %}
              | "tidset"                                   {% (d) => ({ kind: "tidset", span: tok(d[0]) }) %}
              | "int" additive ".." additive               {% (d) => ({ kind: "int", lo: d[1], hi: d[3], span: join(d[0], d[3]) }) %}
              | "tidqueue" "<" primary ">"                 {% (d) => ({ kind: "tidqueue", capacity: d[2], span: join(d[0], d[3]) }) %}
              | ident                                      {% (d) => ({ kind: "named", name: d[0], span: d[0].span }) %}
varDecl      -> type ident arraySize initializer ";"       {% (d) => ({ kind: "var", type: d[0], name: d[1], size: d[2], init: d[3], span: join(d[0], d[4]) }) %}
arraySize    -> null                                       {% () => null %}
              | "[" expr "]"                               {% (d) => d[1] %}
initializer  -> null                                       {% () => null %}
              | "=" expr                                   {% (d) => d[1] %}
              | "=" "{" expr moreExprs "}"                 {% (d) => [d[2], ...items(d[3])] %}

# ---------- statements ----------
block        -> "{" stmts "}"                              {% (d) => ({ kind: "block", stmts: items(d[1]), span: join(d[0], d[2]) }) %}
stmt         -> sourceRefs plainStmt                       {% (d) => mk.sourcedStmt(items(d[0]), d[1]) %}
plainStmt    -> varDecl                                    {% id %}
              | ident ":" stmt                             {% (d) => ({ kind: "label", label: d[0], body: d[2], span: join(d[0], d[2]) }) %}
              | lvalue "=" expr ";"                        {% (d) => ({ kind: "assign", target: d[0], value: d[2], span: join(d[0], d[3]) }) %}
              | call ";"                                   {% (d) => ({ kind: "expr", expr: d[0], span: join(d[0], d[1]) }) %}
              | ifStmt                                     {% id %}
              | "while" "(" expr ")" block                 {% (d) => ({ kind: "while", cond: d[2], body: d[4], span: join(d[0], d[4]) }) %}
              | "for" "(" ident "in" additive ".." additive ")" block
                                                            {% (d) => ({ kind: "for", variable: d[2], lo: d[4], hi: d[6], body: d[8], span: join(d[0], d[8]) }) %}
              | "either" block "or" block moreBlocks       {% (d) => mk.either(d[0], [d[1], d[3], ...items(d[4])]) %}
              | "choose" ident "in" additive ".." additive chooseWhere ";"
                                                            {% (d) => ({ kind: "choose", variable: d[1], lo: d[3], hi: d[5], where: d[6], span: join(d[0], d[7]) }) %}
              | "choose" ident "where" expr ";"            {% (d) => ({ kind: "choose", variable: d[1], lo: null, hi: null, where: d[3], span: join(d[0], d[4]) }) %}
              | "atomic" block                             {% (d) => ({ kind: "atomic", body: d[1], span: join(d[0], d[1]) }) %}
              | "nopreempt" block                          {% (d) => ({ kind: "nopreempt", body: d[1], span: join(d[0], d[1]) }) %}
              | "await" expr ";"                           {% (d) => ({ kind: "await", cond: d[1], interruptible: false, span: join(d[0], d[2]) }) %}
              | "await" "interruptible" expr ";"           {% (d) => ({ kind: "await", cond: d[2], interruptible: true, span: join(d[0], d[3]) }) %}
              | "assert" expr ";"                          {% (d) => ({ kind: "assert", cond: d[1], span: join(d[0], d[2]) }) %}
              | "return" ";"                               {% (d) => ({ kind: "return", value: null, span: join(d[0], d[1]) }) %}
              | "return" expr ";"                          {% (d) => ({ kind: "return", value: d[1], span: join(d[0], d[2]) }) %}
              | "skip" ";"                                 {% (d) => ({ kind: "skip", span: join(d[0], d[1]) }) %}
              | "break" ";"                                {% (d) => ({ kind: "break", span: join(d[0], d[1]) }) %}
              | "continue" ";"                             {% (d) => ({ kind: "continue", span: join(d[0], d[1]) }) %}
              | "goto" ident ";"                           {% (d) => ({ kind: "goto", label: d[1], span: join(d[0], d[2]) }) %}
chooseWhere  -> null                                       {% () => null %}
              | "where" expr                               {% (d) => d[1] %}
ifStmt       -> "if" "(" expr ")" block                    {% (d) => ({ kind: "if", cond: d[2], then: d[4], else: null, span: join(d[0], d[4]) }) %}
              | "if" "(" expr ")" block "else" block       {% (d) => ({ kind: "if", cond: d[2], then: d[4], else: d[6], span: join(d[0], d[6]) }) %}
              | "if" "(" expr ")" block "else" ifStmt      {% (d) => ({ kind: "if", cond: d[2], then: d[4], else: mk.wrap(d[6]), span: join(d[0], d[6]) }) %}
lvalue       -> postfix                                    {% id %}
              | "*" unary                                  {% (d) => ({ kind: "unary", op: "*", operand: d[1], span: join(d[0], d[1]) }) %}

# ---------- expressions (C precedence, plus `=>` below `||` and `in` beside `<`) ----------
expr         -> quant                                      {% id %}
quant        -> ("forall" | "exists") ident "in" domain ":" quant
                                                            {% (d) => ({ kind: "quant", quantifier: d[0][0].value, variable: d[1], domain: d[3], body: d[5], span: join(d[0][0], d[5]) }) %}
              | implies                                    {% id %}
domain       -> additive ".." additive                     {% (d) => ({ kind: "range", lo: d[0], hi: d[2], span: join(d[0], d[2]) }) %}
              | "threads"                                  {% (d) => ({ kind: "threads", span: tok(d[0]) }) %}
              | "cpus"                                     {% (d) => ({ kind: "cpus", span: tok(d[0]) }) %}
implies      -> logor "=>" implies                         {% mk.binary %}
              | logor                                      {% id %}
logor        -> logor "||" logand                          {% mk.binary %}
              | logand                                     {% id %}
logand       -> logand "&&" bitor                          {% mk.binary %}
              | bitor                                      {% id %}
bitor        -> bitor "|" bitxor                           {% mk.binary %}
              | bitxor                                     {% id %}
bitxor       -> bitxor "^" bitand                          {% mk.binary %}
              | bitand                                     {% id %}
bitand       -> bitand "&" equality                        {% mk.binary %}
              | equality                                   {% id %}
equality     -> equality ("==" | "!=") relation            {% mk.binary %}
              | relation                                   {% id %}
relation     -> relation ("<" | "<=" | ">" | ">=" | "in") shift
                                                            {% mk.binary %}
              | shift                                      {% id %}
shift        -> shift ("<<" | ">>") additive               {% mk.binary %}
              | additive                                   {% id %}
additive     -> additive ("+" | "-") multiplicative        {% mk.binary %}
              | multiplicative                             {% id %}
multiplicative -> multiplicative ("*" | "/" | "%") unary   {% mk.binary %}
              | unary                                      {% id %}
unary        -> ("!" | "~" | "-" | "&" | "*") unary        {% (d) => ({ kind: "unary", op: d[0][0].value, operand: d[1], span: join(d[0][0], d[1]) }) %}
              | postfix                                    {% id %}
postfix      -> postfix "[" expr "]"                       {% (d) => ({ kind: "index", base: d[0], index: d[2], span: join(d[0], d[3]) }) %}
              | call                                       {% id %}
              | primary                                    {% id %}
call         -> callee "(" args ")"                        {% (d) => ({ kind: "call", callee: d[0], args: d[2], span: join(d[0], d[3]) }) %}
callee       -> ident                                      {% id %}
              | ("tid" | "exit")                           {% (d) => ({ name: d[0][0].value, span: tok(d[0][0]) }) %}
args         -> null                                       {% () => [] %}
              | expr moreExprs                             {% (d) => [d[0], ...items(d[1])] %}
primary      -> %number                                    {% (d) => mk.num(d[0]) %}
              | "true"                                     {% (d) => ({ kind: "bool", value: true, span: tok(d[0]) }) %}
              | "false"                                    {% (d) => ({ kind: "bool", value: false, span: tok(d[0]) }) %}
              | "null"                                     {% (d) => ({ kind: "null", span: tok(d[0]) }) %}
              | "self"                                     {% (d) => ({ kind: "self", span: tok(d[0]) }) %}
              | "this_cpu"                                 {% (d) => ({ kind: "this_cpu", span: tok(d[0]) }) %}
              | ident                                      {% (d) => ({ kind: "name", name: d[0].name, span: d[0].span }) %}
              | "(" expr ")"                               {% (d) => ({ kind: "paren", inner: d[1], span: join(d[0], d[2]) }) %}

ident        -> %ident                                     {% (d) => ({ name: d[0].value, span: tok(d[0]) }) %}

# ---------- lists ----------
# Built in linear time: nearley's `:*` copies its array for every item (quadratic in a block of many
# statements); these rules link each item to the list before it, and `items` makes the array once.
decls        -> null {% () => null %} | decls decl {% link %}
varDecls     -> null {% () => null %} | varDecls varDecl {% link %}
threadAttrs  -> null {% () => null %} | threadAttrs threadAttr {% link %}
stmts        -> null {% () => null %} | stmts stmt {% link %}
moreMembers  -> null {% () => null %} | moreMembers "," member {% link %}
sourceRefs   -> null {% () => null %} | sourceRefs sourceRef {% link %}
moreParams   -> null {% () => null %} | moreParams "," param {% link %}
moreExprs    -> null {% () => null %} | moreExprs "," expr {% link %}
moreBlocks   -> null {% () => null %} | moreBlocks "or" block {% link %}
