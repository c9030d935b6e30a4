/* pragma.y: the clause language of `#pragma vgrad` (design 1.1).
 *
 *   pragma    := transform '(' ident ')' clause*
 *              | 'checkpoint' ['snapshots' '(' INT ')']   (before a loop)
 *              | 'nondiff' '(' ident ')'                 (calls of ident are constants)
 *              | ('custom_vjp' | 'custom_jvp') '(' ident ')' 'with' '(' ident ')'   (a rule of the user's)
 *   transform := 'value_and_grad' | 'grad' | 'jvp' | 'vjp' | 'jacobian' | 'hvp' | 'hessian'
 *   clause    := 'argnums'  '(' ('all' | INT (',' INT)*) ')'
 *              | 'argnames' '(' sized (',' sized)* ')'
 *              | 'name'     '(' ident ')'
 *              | 'loss'     '(' lossexpr ')'
 *              | 'allow_int'
 *              | 'holomorphic'                          (value_and_grad, grad: a complex loss, d_z = f'(z))
 *              | 'outputs'  '(' sized (',' sized)* ')'   (jvp, vjp, jacobian)
 *              | 'mode'     '(' ident ')'                (jacobian: fwd or rev)
 *   sized     := ident | ident '[' lentok+ ']'            (jacobian, hessian: a length, kept as written)
 *   lentok    := ident | INT | '+' | '-' | '*' | '/' | '%' | '(' | ')'
 *   lossexpr  := path | '*' ident
 *   path      := ident | path '[' INT ']' | path '->' ident | path '.' ident
 *   ident     := IDENT | any of the words above
 *
 * Words are keywords only where the grammar expects one, so a function or
 * parameter may be called `loss`, `name` or `all`.  Each clause may appear
 * at most once; INT is a decimal integer in 0..1000000.
 *
 * The parser is pure and the scanner (pragma.l) reentrant: all state lives
 * in a PragmaParser on parse_pragma_clauses' stack.  Tokens carry byte
 * offsets into the text as their location; offset k is at column
 * text_loc.col + k.  Strings stored into the Pragma are owned by it. */

%require "3.6"
%define api.pure full
%define api.prefix {pragma_yy}
%define api.token.prefix {PT_}
%define api.location.type {PragmaSpan}
%define parse.error custom
%define parse.lac full
%locations
%param {PragmaParser *pp}

%code requires {
#include "vgradcc.h"

/* A token's extent: byte offsets [begin, end) into the pragma text. */
typedef struct {
  int begin, end;
} PragmaSpan;

typedef struct PragmaParser PragmaParser;

/* The clauses that may appear once each (PragmaParser.seen). */
enum { CL_ARGNUMS, CL_ARGNAMES, CL_NAME, CL_LOSS, CL_ALLOW_INT, CL_HOLOMORPHIC, CL_OUTPUTS, CL_MODE, CL_COUNT };
}

%code provides {
struct PragmaParser {
  const char *text;  /* the clause text (after `vgrad`) */
  Loc loc;           /* location of text[0] */
  int pos;           /* scanner: offset of the next character */
  int end;           /* offset of "end of pragma": after the last non-blank */
  void *scanner;     /* the reentrant flex scanner */
  Pragma *out;
  PragmaSpan seen[CL_COUNT]; /* where each clause was seen (end > 0 once seen) */
};

/* pragma.l */
void *pragma_scan_open(const char *text, PragmaParser *pp);
void pragma_scan_close(void *scanner);
int pragma_scan(PRAGMA_YYSTYPE *lval, PRAGMA_YYLTYPE *lloc, void *scanner);
Loc pragma_loc(const PragmaParser *pp, int offset);
}

%code {
#include <stdlib.h>
#include <string.h>

#define YYLLOC_DEFAULT(Cur, Rhs, N)                 \
  do {                                              \
    if (N) {                                        \
      (Cur).begin = YYRHSLOC(Rhs, 1).begin;         \
      (Cur).end = YYRHSLOC(Rhs, N).end;             \
    } else {                                        \
      (Cur).begin = (Cur).end = YYRHSLOC(Rhs, 0).end; \
    }                                               \
  } while (0)

static int pragma_yylex(PRAGMA_YYSTYPE *lval, PRAGMA_YYLTYPE *lloc, PragmaParser *pp) {
  return pragma_scan(lval, lloc, pp->scanner);
}

static void pragma_yyerror(const PRAGMA_YYLTYPE *lloc, PragmaParser *pp, const char *msg);

static bool clause_once(PragmaParser *pp, int which, PragmaSpan at);
static bool add_argnum(PragmaParser *pp, PragmaSpan at);
static bool add_argname(PragmaParser *pp, PragmaSpan at);
static bool add_output(PragmaParser *pp, PragmaSpan at);
static void set_length(PragmaParser *pp, bool output, PragmaSpan at);
static bool check_out_name(PragmaParser *pp, PragmaSpan at);
static char *span_dup(const PragmaParser *pp, PragmaSpan s);
static bool add_loss_step(PragmaParser *pp, PragmaSpan at, bool member, PragmaSpan index_or_name);
}

%token VALUE_AND_GRAD GRAD ARGNUMS ARGNAMES NAME LOSS ALL IDENT INT CHECKPOINT SNAPSHOTS ARROW NONDIFF ALLOW_INT HOLOMORPHIC
%token JVP OUTPUTS VJP JACOBIAN MODE HVP HESSIAN
%token CUSTOM_VJP CUSTOM_JVP WITH

%%

pragma:
  transform '(' ident ')' clauses
    { pp->out->func = span_dup(pp, @3); pp->out->func_loc = pragma_loc(pp, @3.begin); }
| CHECKPOINT snapshots
    { pp->out->kind = PRAGMA_CHECKPOINT; }
| NONDIFF '(' ident ')'
    {
      pp->out->kind = PRAGMA_NONDIFF;
      pp->out->func = span_dup(pp, @3);
      pp->out->func_loc = pragma_loc(pp, @3.begin);
    }
| custom_kind '(' ident ')' WITH '(' ident ')'
    {
      pp->out->func = span_dup(pp, @3);
      pp->out->func_loc = pragma_loc(pp, @3.begin);
      pp->out->with = span_dup(pp, @7);
      pp->out->with_loc = pragma_loc(pp, @7.begin);
    }
;

custom_kind:
  CUSTOM_VJP { pp->out->kind = PRAGMA_CUSTOM_VJP; }
| CUSTOM_JVP { pp->out->kind = PRAGMA_CUSTOM_JVP; }
;

snapshots:
  %empty
| SNAPSHOTS '(' INT ')'
    {
      char *n = span_dup(pp, @3);
      char *end;
      long v = strtol(n, &end, 10);
      bool in_range = !*end && v >= 1 && v <= 1000000;
      if (!in_range)
        error_at(pragma_loc(pp, @3.begin), "snapshots expects an integer from 1 to 1000000, found '%s'", n);
      free(n);
      if (!in_range)
        YYABORT;
      pp->out->snapshots = (int)v;
    }
;

transform:
  VALUE_AND_GRAD { pp->out->kind = PRAGMA_VALUE_AND_GRAD; }
| GRAD           { pp->out->kind = PRAGMA_GRAD; }
| JVP            { pp->out->kind = PRAGMA_JVP; }
| VJP            { pp->out->kind = PRAGMA_VJP; }
| JACOBIAN       { pp->out->kind = PRAGMA_JACOBIAN; }
| HVP            { pp->out->kind = PRAGMA_HVP; }
| HESSIAN        { pp->out->kind = PRAGMA_HESSIAN; }
;

clauses:
  %empty
| clauses clause
;

clause:
  argnums_kw '(' argnum_spec ')'
| argnames_kw '(' argname_list ')'
| name_kw '(' ident ')'
    {
      if (!check_out_name(pp, @3))
        YYABORT;
      pp->out->out_name = span_dup(pp, @3);
    }
| loss_kw '(' loss_expr ')'
    { pp->out->loss_text = span_dup(pp, @3); }
| ALLOW_INT
    {
      if (!clause_once(pp, CL_ALLOW_INT, @1))
        YYABORT;
      pp->out->allow_int = true;
      pp->out->allow_int_loc = pragma_loc(pp, @1.begin);
    }
| HOLOMORPHIC
    {
      if (!clause_once(pp, CL_HOLOMORPHIC, @1))
        YYABORT;
      pp->out->holomorphic = true;
      pp->out->holomorphic_loc = pragma_loc(pp, @1.begin);
    }
| outputs_kw '(' output_list ')'
| MODE '(' ident ')'
    {
      if (!clause_once(pp, CL_MODE, @1))
        YYABORT;
      pp->out->mode = span_dup(pp, @3);
      pp->out->mode_loc = pragma_loc(pp, @3.begin);
    }
;

output_list:
  output                 
| output_list ',' output 
;

output:
  ident                      { if (!add_output(pp, @1)) YYABORT; }
| ident '[' length ']'       { if (!add_output(pp, @1)) YYABORT; set_length(pp, true, @3); }
;

length:
  length_token
| length length_token
;

length_token: ident | INT | '+' | '-' | '*' | '/' | '%' | '(' | ')';

loss_expr:
  loss_path
| '*' loss_root { if (!add_loss_step(pp, @1, false, (PragmaSpan){0, 0})) YYABORT; }
;

loss_path:
  loss_root
| loss_path '[' INT ']'    { if (!add_loss_step(pp, @2, false, @3)) YYABORT; }
| loss_path ARROW ident    {
                             if (!add_loss_step(pp, @2, false, (PragmaSpan){0, 0}) ||
                                 !add_loss_step(pp, @3, true, @3))
                               YYABORT;
                           }
| loss_path '.' ident      { if (!add_loss_step(pp, @3, true, @3)) YYABORT; }
;

loss_root:
  ident
    {
      pp->out->loss_param = span_dup(pp, @1);
      pp->out->loss_loc = pragma_loc(pp, @1.begin);
    }
;

argnums_kw:  ARGNUMS  { if (!clause_once(pp, CL_ARGNUMS, @1)) YYABORT; pp->out->has_argnums = true; };
argnames_kw: ARGNAMES { if (!clause_once(pp, CL_ARGNAMES, @1)) YYABORT; pp->out->has_argnames = true; };
name_kw:     NAME     { if (!clause_once(pp, CL_NAME, @1)) YYABORT; };
loss_kw:     LOSS     { if (!clause_once(pp, CL_LOSS, @1)) YYABORT; };
outputs_kw:  OUTPUTS  { if (!clause_once(pp, CL_OUTPUTS, @1)) YYABORT; pp->out->has_outputs = true; };

argnum_spec:
  ALL { pp->out->argnums_all = true; }
| argnum_list
;

argnum_list:
  INT                 { if (!add_argnum(pp, @1)) YYABORT; }
| argnum_list ',' INT { if (!add_argnum(pp, @3)) YYABORT; }
;

argname_list:
  argname
| argname_list ',' argname
;

argname:
  ident                  { if (!add_argname(pp, @1)) YYABORT; }
| ident '[' length ']'   { if (!add_argname(pp, @1)) YYABORT; set_length(pp, false, @3); }
;

ident: IDENT | VALUE_AND_GRAD | GRAD | ARGNUMS | ARGNAMES | NAME | LOSS | ALL | CHECKPOINT | SNAPSHOTS | NONDIFF
     | ALLOW_INT | HOLOMORPHIC | JVP | OUTPUTS | VJP | JACOBIAN | MODE | CUSTOM_VJP | CUSTOM_JVP | WITH | HVP | HESSIAN;

%%

static const char *const clause_names[] = {"argnums", "argnames", "name", "loss", "allow_int", "holomorphic", "outputs", "mode"};
_Static_assert(sizeof clause_names / sizeof clause_names[0] == CL_COUNT, "a name for each clause");

Loc pragma_loc(const PragmaParser *pp, int offset) {
  Loc l = pp->loc;
  l.col += offset;
  return l;
}

static char *span_dup(const PragmaParser *pp, PragmaSpan s) {
  return format("%.*s", s.end - s.begin, pp->text + s.begin);
}

static bool clause_once(PragmaParser *pp, int which, PragmaSpan at) {
  if (pp->seen[which].end > 0) {
    error_at(pragma_loc(pp, at.begin), "clause '%s' appears twice", clause_names[which]);
    return false;
  }
  pp->seen[which] = at;
  return true;
}

/* INT: a decimal integer in 0..1000000.  The scanner hands over anything
 * number-like (`-1`, `1.5`, `0x2`) so that it is diagnosed here as a whole. */
static bool add_argnum(PragmaParser *pp, PragmaSpan at) {
  const char *s = pp->text + at.begin;
  int len = at.end - at.begin;
  Loc loc = pragma_loc(pp, at.begin);
  long v = 0;
  for (int i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') {
      error_at(loc, "argnums expects non-negative integers or 'all', found '%.*s'", len, s);
      return false;
    }
    if (v <= 1000000)
      v = v * 10 + (s[i] - '0');
  }
  if (v > 1000000) {
    error_at(loc, "argnums entry '%.*s' is too large (limit 1000000)", len, s);
    return false;
  }
  Pragma *out = pp->out;
  if (out->nargnums == (int)(sizeof out->argnums / sizeof out->argnums[0])) {
    error_at(loc, "too many entries in argnums (limit %d)", out->nargnums);
    return false;
  }
  for (int i = 0; i < out->nargnums; i++) {
    if (out->argnums[i] == v) {
      error_at(loc, "parameter %ld is listed twice in argnums", v);
      return false;
    }
  }
  out->argnums[out->nargnums] = (int)v;
  out->argnums_loc[out->nargnums] = loc;
  out->nargnums++;
  return true;
}

static bool add_argname(PragmaParser *pp, PragmaSpan at) {
  const char *s = pp->text + at.begin;
  size_t len = (size_t)(at.end - at.begin);
  Loc loc = pragma_loc(pp, at.begin);
  Pragma *out = pp->out;
  if (out->nargnames == (int)(sizeof out->argnames / sizeof out->argnames[0])) {
    error_at(loc, "too many entries in argnames (limit %d)", out->nargnames);
    return false;
  }
  for (int i = 0; i < out->nargnames; i++) {
    if (strlen(out->argnames[i]) == len && !strncmp(out->argnames[i], s, len)) {
      error_at(loc, "parameter '%.*s' is listed twice in argnames", (int)len, s);
      return false;
    }
  }
  out->argnames[out->nargnames] = span_dup(pp, at);
  out->argnames_loc[out->nargnames] = loc;
  out->nargnames++;
  return true;
}

/* outputs(y, ...): each parameter once. */
static bool add_output(PragmaParser *pp, PragmaSpan at) {
  const char *s = pp->text + at.begin;
  size_t len = (size_t)(at.end - at.begin);
  Loc loc = pragma_loc(pp, at.begin);
  Pragma *out = pp->out;
  if (out->noutputs == (int)(sizeof out->outputs / sizeof out->outputs[0])) {
    error_at(loc, "too many entries in outputs (limit %d)", out->noutputs);
    return false;
  }
  for (int i = 0; i < out->noutputs; i++) {
    if (strlen(out->outputs[i]) == len && !strncmp(out->outputs[i], s, len)) {
      error_at(loc, "parameter '%.*s' is listed twice in outputs", (int)len, s);
      return false;
    }
  }
  out->outputs[out->noutputs] = span_dup(pp, at);
  out->outputs_loc[out->noutputs] = loc;
  out->noutputs++;
  return true;
}

/* x[LEN] in argnames or outputs (jacobian): LEN as written, checked against
 * the function's parameters by ad/select.c. */
static void set_length(PragmaParser *pp, bool output, PragmaSpan at) {
  Pragma *out = pp->out;
  int k = output ? out->noutputs - 1 : out->nargnames - 1;
  const char **text = output ? out->output_lens : out->argname_lens;
  Loc *loc = output ? out->output_lens_loc : out->argname_lens_loc;
  text[k] = span_dup(pp, at);
  loc[k] = pragma_loc(pp, at.begin);
}

/* One step of loss(E) after its parameter: [K] (an empty span: *p, p->),
 * or .member. */
static bool add_loss_step(PragmaParser *pp, PragmaSpan at, bool member, PragmaSpan index_or_name) {
  Pragma *out = pp->out;
  Loc loc = pragma_loc(pp, at.begin);
  if (out->loss_nsteps == (int)(sizeof out->loss_steps / sizeof out->loss_steps[0])) {
    error_at(loc, "loss(...) is nested too deep (limit %d steps)", out->loss_nsteps);
    return false;
  }
  LossStep *step = &out->loss_steps[out->loss_nsteps++];
  step->loc = loc;
  if (member) {
    step->member = span_dup(pp, index_or_name);
    return true;
  }
  const char *s = pp->text + index_or_name.begin;
  int len = index_or_name.end - index_or_name.begin;
  long v = 0;
  for (int i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9' || v > 1000000) {
      error_at(pragma_loc(pp, index_or_name.begin), "loss(...) expects a non-negative integer index up to 1000000, "
               "found '%.*s'", len, s);
      return false;
    }
    v = v * 10 + (s[i] - '0');
  }
  step->index = v;
  return true;
}

/* name(ident) becomes a C function name: it must not be a keyword. */
static bool check_out_name(PragmaParser *pp, PragmaSpan at) {
  static const char *const keywords[] = {
      "auto", "break", "case", "char", "const", "continue", "default", "do", "double",
      "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
      "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
      "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "_Alignas",
      "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
      "_Static_assert", "_Thread_local", "alignas", "alignof", "bool", "constexpr",
      "false", "nullptr", "static_assert", "thread_local", "true", "typeof",
      "typeof_unqual",
  };
  const char *s = pp->text + at.begin;
  size_t len = (size_t)(at.end - at.begin);
  for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
    if (strlen(keywords[i]) == len && !strncmp(keywords[i], s, len)) {
      error_at(pragma_loc(pp, at.begin), "name '%.*s' is a C keyword; expected a function name",
               (int)len, s);
      return false;
    }
  }
  return true;
}

/* ---- syntax errors ---- */

static bool is_word(yysymbol_kind_t k) {
  switch (k) {
  case YYSYMBOL_IDENT: case YYSYMBOL_VALUE_AND_GRAD: case YYSYMBOL_GRAD: case YYSYMBOL_ARGNUMS:
  case YYSYMBOL_ARGNAMES: case YYSYMBOL_NAME: case YYSYMBOL_LOSS: case YYSYMBOL_ALL:
  case YYSYMBOL_CHECKPOINT: case YYSYMBOL_SNAPSHOTS: case YYSYMBOL_NONDIFF: case YYSYMBOL_ALLOW_INT:
  case YYSYMBOL_HOLOMORPHIC: case YYSYMBOL_JVP: case YYSYMBOL_OUTPUTS: case YYSYMBOL_VJP: case YYSYMBOL_JACOBIAN: case YYSYMBOL_MODE:
  case YYSYMBOL_CUSTOM_VJP: case YYSYMBOL_CUSTOM_JVP: case YYSYMBOL_WITH: case YYSYMBOL_HVP: case YYSYMBOL_HESSIAN:
    return true;
  default:
    return false;
  }
}

static const char *symbol_desc(yysymbol_kind_t k) {
  switch (k) {
  case YYSYMBOL_YYEOF: return "end of pragma";
  case YYSYMBOL_IDENT: return "identifier";
  case YYSYMBOL_INT: return "integer";
  case YYSYMBOL_ALL: return "'all'";
  case YYSYMBOL_VALUE_AND_GRAD: return "'value_and_grad'";
  case YYSYMBOL_GRAD: return "'grad'";
  case YYSYMBOL_ARGNUMS: return "argnums";
  case YYSYMBOL_ARGNAMES: return "argnames";
  case YYSYMBOL_NAME: return "name";
  case YYSYMBOL_LOSS: return "loss";
  case YYSYMBOL_CHECKPOINT: return "'checkpoint'";
  case YYSYMBOL_SNAPSHOTS: return "snapshots";
  case YYSYMBOL_NONDIFF: return "'nondiff'";
  case YYSYMBOL_ALLOW_INT: return "allow_int";
  case YYSYMBOL_HOLOMORPHIC: return "holomorphic";
  case YYSYMBOL_JVP: return "'jvp'";
  case YYSYMBOL_OUTPUTS: return "outputs";
  case YYSYMBOL_CUSTOM_VJP: return "'custom_vjp'";
  case YYSYMBOL_CUSTOM_JVP: return "'custom_jvp'";
  case YYSYMBOL_WITH: return "'with'";
  case YYSYMBOL_VJP: return "'vjp'";
  case YYSYMBOL_JACOBIAN: return "'jacobian'";
  case YYSYMBOL_HVP: return "'hvp'";
  case YYSYMBOL_HESSIAN: return "'hessian'";
  case YYSYMBOL_MODE: return "mode";
  case YYSYMBOL_ARROW: return "'->'";
  default: return yysymbol_name(k); /* "'('", "')'", "','" */
  }
}

static bool has_symbol(const yysymbol_kind_t *set, int n, yysymbol_kind_t k) {
  for (int i = 0; i < n; i++)
    if (set[i] == k)
      return true;
  return false;
}

/* Messages in the style of gcc: "expected ')' before 'x'", "... at end of
 * pragma"; a few states get a message of their own. */
static int yyreport_syntax_error(const yypcontext_t *ctx, PragmaParser *pp) {
  yysymbol_kind_t expected[YYNTOKENS];
  int n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
  if (n < 0)
    return n;
  yysymbol_kind_t tok = yypcontext_token(ctx);
  const PRAGMA_YYLTYPE *span = yypcontext_location(ctx);
  Loc loc = pragma_loc(pp, span->begin);
  bool at_end = tok == YYSYMBOL_YYEOF;
  const char *s = pp->text + span->begin;
  int len = span->end - span->begin;

  if (has_symbol(expected, n, YYSYMBOL_VALUE_AND_GRAD) && !has_symbol(expected, n, YYSYMBOL_IDENT)) {
    if (at_end)
      error_at(loc, "expected 'value_and_grad', 'grad', 'jvp', 'vjp', 'jacobian', 'hvp', 'hessian', 'checkpoint', 'nondiff', 'custom_vjp' or 'custom_jvp' after 'vgrad'");
    else
      error_at(loc, "expected 'value_and_grad', 'grad', 'jvp', 'vjp', 'jacobian', 'hvp', 'hessian', 'checkpoint', 'nondiff', 'custom_vjp' or 'custom_jvp' after 'vgrad', found '%.*s'",
               len, s);
    return 0;
  }
  if (has_symbol(expected, n, YYSYMBOL_ARGNUMS) && !has_symbol(expected, n, YYSYMBOL_IDENT)) {
    if (is_word(tok))
      error_at(loc, "unknown clause '%.*s'; expected argnums, argnames, name, loss, allow_int, holomorphic, outputs or mode", len, s);
    else
      error_at(loc, "expected argnums, argnames, name, loss, allow_int, holomorphic, outputs or mode before '%.*s'", len, s);
    return 0;
  }
  if (has_symbol(expected, n, YYSYMBOL_ALL) && !has_symbol(expected, n, YYSYMBOL_IDENT) &&
      !at_end) {
    error_at(loc, "argnums expects non-negative integers or 'all', found '%.*s'", len, s);
    return 0;
  }

  /* Generic: list what was expected, in the order gcc would ("',' or
   * ')'"); an identifier subsumes the words. */
  const yysymbol_kind_t order[] = {
      YYSYMBOL_IDENT, YYSYMBOL_INT, YYSYMBOL_ALL, YYTRANSLATE('('), YYTRANSLATE(','), YYTRANSLATE(')'),
  };
  Buf msg = {0};
  bool ident = has_symbol(expected, n, YYSYMBOL_IDENT);
  int shown = 0;
  const char *items[YYNTOKENS];
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
    if (has_symbol(expected, n, order[i]) && !(ident && order[i] == YYSYMBOL_ALL))
      items[shown++] = symbol_desc(order[i]);
  for (int i = 0; i < n; i++) {
    bool listed = false;
    for (size_t j = 0; j < sizeof order / sizeof order[0]; j++)
      listed |= expected[i] == order[j];
    if (!listed && !(ident && is_word(expected[i])))
      items[shown++] = symbol_desc(expected[i]);
  }
  buf_printf(&msg, "expected ");
  for (int i = 0; i < shown; i++)
    buf_printf(&msg, "%s%s", i == 0 ? "" : i == shown - 1 ? " or " : ", ", items[i]);
  if (shown == 0)
    buf_printf(&msg, "nothing more");
  if (at_end)
    error_at(loc, "%s at end of pragma", msg.buf);
  else
    error_at(loc, "%s before '%.*s'", msg.buf, len, s);
  free(msg.buf);
  return 0;
}

/* Only reached for "memory exhausted": syntax errors go through
 * yyreport_syntax_error. */
static void pragma_yyerror(const PRAGMA_YYLTYPE *lloc, PragmaParser *pp, const char *msg) {
  error_at(pragma_loc(pp, lloc->begin), "%s in pragma", msg);
}

bool parse_pragma_clauses(const char *text, Loc text_loc, Pragma *out) {
  if (!text)
    text = "";
  PragmaParser pp = {.text = text, .loc = text_loc, .out = out};
  size_t end = strlen(text);
  while (end > 0 && strchr(" \t\r\n\f\v", text[end - 1]))
    end--;
  pp.end = (int)end;
  pp.scanner = pragma_scan_open(text, &pp);
  if (!pp.scanner) {
    error_at(text_loc, "out of memory while parsing pragma");
    return false;
  }
  int rc = pragma_yyparse(&pp);
  pragma_scan_close(pp.scanner);
  return rc == 0;
}
