/* The math.h functions: one table entry each, carrying everything the
 * other stages ask about a function (arity, whether it is piecewise, how
 * it is differentiated, whether it is cheap to compute again, its sin/cos
 * companion), and the derivative rules the entries point to, as
 * expressions of the call's own arguments (evaluated by the reverse sweep
 * with the values they had). */
#include "ad.h"

#include <string.h>

/* What a derivative rule builds from: the call, its arguments (copies),
 * and how to print float constants and functions for float calls. */
struct MathCall {
  Expr *call;
  Type *type;
  bool is_float;
  Expr *a, *b;  /* the arguments; b is NULL for one */
  Expr *value;  /* the call's own value, when the reverse sweep keeps it in a variable */
};
typedef struct MathCall Ctx;

static Expr *num(Ctx *c, const char *text) {
  return expr_num(c->is_float ? format("%sf", text) : text, c->type);
}
static Expr *fn(Ctx *c, const char *name, Expr *a) {
  return expr_call(c->is_float ? format("%sf", name) : name, c->type, a, NULL);
}
static Expr *fn2(Ctx *c, const char *name, Expr *a, Expr *b) {
  return expr_call(c->is_float ? format("%sf", name) : name, c->type, a, b);
}
static Expr *mul(Ctx *c, Expr *a, Expr *b) { return expr_binary(OP_MUL, a, b, c->type); }
static Expr *dvd(Ctx *c, Expr *a, Expr *b) { return expr_binary(OP_DIV, a, b, c->type); }
static Expr *add(Ctx *c, Expr *a, Expr *b) { return expr_binary(OP_ADD, a, b, c->type); }
static Expr *sub(Ctx *c, Expr *a, Expr *b) { return expr_binary(OP_SUB, a, b, c->type); }
static Expr *neg(Ctx *c, Expr *a) { return expr_unary(EX_NEG, a, c->type); }
static Expr *sq(Ctx *c, Expr *a) { return mul(c, a, expr_copy(a)); }
static Expr *cond_expr(Expr *cond, Expr *a, Expr *b, Type *type) {
  Expr *e = new_expr(EX_COND, type, a->loc);
  e->cond = cond;
  e->lhs = a;
  e->rhs = b;
  return e;
}
/* The call's value: its variable when kept, else the call again. */
static Expr *value1(Ctx *c, const char *name) { return c->value ? expr_copy(c->value) : fn(c, name, c->a); }

#define LN2 "0.693147180559945309417232121458176568"
#define LN10 "2.30258509299404568401799145468436421"
#define TWO_OVER_SQRT_PI "1.12837916709551257389615890312154517"

/* Partial derivative rules: d call / d argument i. */
static Expr *d_sin(Ctx *c, int i) {
  (void)i;
  return c->call->companion ? expr_var(c->call->companion, c->call->loc) : fn(c, "cos", c->a);
}
static Expr *d_cos(Ctx *c, int i) {
  (void)i;
  return neg(c, c->call->companion ? expr_var(c->call->companion, c->call->loc) : fn(c, "sin", c->a));
}
static Expr *d_tan(Ctx *c, int i) { (void)i; return dvd(c, num(c, "1.0"), sq(c, fn(c, "cos", c->a))); }
static Expr *d_asin(Ctx *c, int i) {
  (void)i;
  return dvd(c, num(c, "1.0"), fn(c, "sqrt", sub(c, num(c, "1.0"), sq(c, c->a))));
}
static Expr *d_acos(Ctx *c, int i) {
  (void)i;
  return neg(c, dvd(c, num(c, "1.0"), fn(c, "sqrt", sub(c, num(c, "1.0"), sq(c, c->a)))));
}
static Expr *d_atan(Ctx *c, int i) { (void)i; return dvd(c, num(c, "1.0"), add(c, num(c, "1.0"), sq(c, c->a))); }
static Expr *d_atan2(Ctx *c, int i) {
  /* atan2(a, b): d/da = b / (a² + b²), d/db = -a / (a² + b²) */
  Expr *r2 = add(c, sq(c, expr_copy(c->a)), sq(c, expr_copy(c->b)));
  return i == 0 ? dvd(c, c->b, r2) : neg(c, dvd(c, c->a, r2));
}
static Expr *d_sinh(Ctx *c, int i) { (void)i; return fn(c, "cosh", c->a); }
static Expr *d_cosh(Ctx *c, int i) { (void)i; return fn(c, "sinh", c->a); }
static Expr *d_tanh(Ctx *c, int i) { (void)i; return sub(c, num(c, "1.0"), sq(c, value1(c, "tanh"))); }
static Expr *d_exp(Ctx *c, int i) { (void)i; return value1(c, "exp"); }
static Expr *d_exp2(Ctx *c, int i) { (void)i; return mul(c, value1(c, "exp2"), num(c, LN2)); }
static Expr *d_expm1(Ctx *c, int i) { (void)i; return fn(c, "exp", c->a); }
static Expr *d_log(Ctx *c, int i) { (void)i; return dvd(c, num(c, "1.0"), c->a); }
static Expr *d_log2(Ctx *c, int i) { (void)i; return dvd(c, num(c, "1.0"), mul(c, c->a, num(c, LN2))); }
static Expr *d_log10(Ctx *c, int i) { (void)i; return dvd(c, num(c, "1.0"), mul(c, c->a, num(c, LN10))); }
static Expr *d_log1p(Ctx *c, int i) { (void)i; return dvd(c, num(c, "1.0"), add(c, num(c, "1.0"), c->a)); }
static Expr *d_sqrt(Ctx *c, int i) { (void)i; return dvd(c, num(c, "0.5"), value1(c, "sqrt")); }
static Expr *d_cbrt(Ctx *c, int i) {
  (void)i;
  return dvd(c, num(c, "1.0"), mul(c, num(c, "3.0"), sq(c, value1(c, "cbrt"))));
}
static Expr *d_pow(Ctx *c, int i) {
  if (i == 0) /* b * a^(b-1) */
    return mul(c, c->b, fn2(c, "pow", c->a, sub(c, expr_copy(c->b), num(c, "1.0"))));
  /* a^b * log(a); a <= 0 contributes nothing (the limit at a = 0). */
  Expr *e = new_expr(EX_COND, c->type, c->a->loc);
  e->cond = expr_binary(OP_GT, expr_copy(c->a), num(c, "0.0"), type_int());
  Expr *value = c->value ? expr_copy(c->value) : fn2(c, "pow", c->a, c->b);
  e->lhs = mul(c, value, fn(c, "log", expr_copy(c->a)));
  e->rhs = num(c, "0.0");
  return e;
}
static Expr *d_hypot(Ctx *c, int i) {
  Expr *value = c->value ? expr_copy(c->value) : fn2(c, "hypot", expr_copy(c->a), expr_copy(c->b));
  return dvd(c, i == 0 ? c->a : c->b, value);
}
static Expr *d_erf(Ctx *c, int i) { (void)i; return mul(c, num(c, TWO_OVER_SQRT_PI), fn(c, "exp", neg(c, sq(c, c->a)))); }
static Expr *d_lgamma(Ctx *c, int i) { /* digamma, defined in the generated file */
  (void)i;
  return expr_call(c->is_float ? "vgradcc_digammaf" : "vgradcc_digamma", c->type, c->a, NULL);
}
static Expr *d_fmod(Ctx *c, int i) {
  /* fmod(a, b) = a - trunc(a / b) * b */
  return i == 0 ? num(c, "1.0") : neg(c, fn(c, "trunc", dvd(c, c->a, c->b)));
}

/* complex.h: the holomorphic functions' partials are their derivatives
 * (the adjoint convention, README "Complex numbers", makes the chain rule
 * adj * g'(z) for them as for real functions). */
static Expr *d_cexp(Ctx *c, int i) { (void)i; return value1(c, "cexp"); }
static Expr *d_clog(Ctx *c, int i) { (void)i; return dvd(c, num(c, "1.0"), c->a); }
static Expr *d_csqrt(Ctx *c, int i) { (void)i; return dvd(c, num(c, "0.5"), value1(c, "csqrt")); }
static Expr *d_csin(Ctx *c, int i) { (void)i; return fn(c, "ccos", c->a); }
static Expr *d_ccos(Ctx *c, int i) { (void)i; return neg(c, fn(c, "csin", c->a)); }
static Expr *d_cpow(Ctx *c, int i) {
  if (i == 0) /* b * a^(b-1) */
    return mul(c, c->b, fn2(c, "cpow", c->a, sub(c, expr_copy(c->b), num(c, "1.0"))));
  Expr *value = c->value ? expr_copy(c->value) : fn2(c, "cpow", c->a, c->b); /* a^b * log(a) */
  return mul(c, value, fn(c, "clog", expr_copy(c->a)));
}
/* The real-valued ones: d/dx - i d/dy of the result, so that the adjoint
 * of z gains adj * partial (and a tangent is the real part of partial * t). */
static Expr *d_creal(Ctx *c, int i) { (void)i; return num(c, "1.0"); }
static Expr *d_cimag(Ctx *c, int i) { /* -I */
  (void)i;
  Type *complex_type = c->a->type;
  return expr_unary(EX_NEG, expr_num("I", complex_type), complex_type);
}
static Expr *d_cabs(Ctx *c, int i) { /* conj(z) / |z|; 0 at z = 0 (a subgradient, as fabs's) */
  (void)i;
  Type *complex_type = c->a->type;
  Expr *value = c->value ? expr_copy(c->value) : fn(c, "cabs", expr_copy(c->a));
  Expr *ratio = expr_binary(OP_DIV, expr_call(c->is_float ? "conjf" : "conj", complex_type, c->a, NULL), value,
                            complex_type);
  return cond_expr(expr_binary(OP_GT, expr_copy(value), num(c, "0.0"), type_int()), ratio, num(c, "0.0"),
                   complex_type);
}

/* fabs, fmin and fmax as ?:, so they route the adjoint like a branch.
 * fmin and fmax return the other operand when one is NaN, so the adjoint
 * follows: to x when x wins (ties too) or y is NaN, else to y.  The
 * branches are the operands themselves, not copies: a copy would show an
 * inner call kept in a variable (cache_calls) as that variable, through
 * which propagate finds nothing active. */
static Expr *if_fabs(Expr *call) {
  Expr *a = call->args.items[0];
  return cond_expr(expr_binary(OP_LT, expr_copy(a), expr_num("0", type_int()), type_int()),
                   expr_unary(EX_NEG, a, call->type), a, call->type);
}
static Expr *min_or_max(Expr *call, bool is_min) {
  Expr *a = call->args.items[0];
  Expr *b = call->args.items[1];
  Expr *cond = expr_binary(is_min ? OP_LE : OP_GE, expr_copy(a), expr_copy(b), type_int());
  Expr *plain_b = b;
  while (plain_b->kind == EX_CAST || plain_b->kind == EX_NEG || plain_b->kind == EX_PLUS)
    plain_b = plain_b->lhs;
  if (plain_b->kind != EX_NUM) /* a constant is never NaN */
    cond = expr_binary(OP_LOR, cond, expr_call("isnan", type_int(), expr_copy(b), NULL), type_int());
  return cond_expr(cond, a, b, call->type);
}
static Expr *if_fmin(Expr *call) { return min_or_max(call, true); }
static Expr *if_fmax(Expr *call) { return min_or_max(call, false); }

/* The functions.  To add one: an entry here, by its double spelling (the
 * float one, NAME "f", comes with it), and its derivative rule above:
 * `partial`, d call / d argument i built from the arguments (a call with
 * one gets a variable of its own, cache_calls, which the rule may use as
 * the call's value); or `conditional`, the call as ?: of its operands
 * (fabs, fmin, fmax: the adjoint follows the operand returned); or
 * neither, for a piecewise constant function (derivative zero).
 * `cheap`: computed again by the reverse sweep rather than taped.
 * `companion`: computed beside the call by the forward sweep (sin's cos).
 * Then list it in README's "What is supported so far" and in
 * tests/random/gen.py, and check it in a golden (math_*.c). */
#define SMOOTH MATH_SMOOTH
#define CONSTANT MATH_PIECEWISE_CONSTANT
#define LINEAR MATH_PIECEWISE_LINEAR
#define CONJUGATE MATH_CONJUGATE
static const MathFunc table[] = {
  /* name    args  piecewise  cheap  companion  partial    conditional */
  {"sin",    1,    SMOOTH,    false, "cos",     d_sin,     NULL},
  {"cos",    1,    SMOOTH,    false, "sin",     d_cos,     NULL},
  {"tan",    1,    SMOOTH,    false, NULL,      d_tan,     NULL},
  {"asin",   1,    SMOOTH,    false, NULL,      d_asin,    NULL},
  {"acos",   1,    SMOOTH,    false, NULL,      d_acos,    NULL},
  {"atan",   1,    SMOOTH,    false, NULL,      d_atan,    NULL},
  {"atan2",  2,    SMOOTH,    false, NULL,      d_atan2,   NULL},
  {"sinh",   1,    SMOOTH,    false, NULL,      d_sinh,    NULL},
  {"cosh",   1,    SMOOTH,    false, NULL,      d_cosh,    NULL},
  {"tanh",   1,    SMOOTH,    false, NULL,      d_tanh,    NULL},
  {"exp",    1,    SMOOTH,    false, NULL,      d_exp,     NULL},
  {"exp2",   1,    SMOOTH,    false, NULL,      d_exp2,    NULL},
  {"expm1",  1,    SMOOTH,    false, NULL,      d_expm1,   NULL},
  {"log",    1,    SMOOTH,    false, NULL,      d_log,     NULL},
  {"log2",   1,    SMOOTH,    false, NULL,      d_log2,    NULL},
  {"log10",  1,    SMOOTH,    false, NULL,      d_log10,   NULL},
  {"log1p",  1,    SMOOTH,    false, NULL,      d_log1p,   NULL},
  {"sqrt",   1,    SMOOTH,    false, NULL,      d_sqrt,    NULL},
  {"cbrt",   1,    SMOOTH,    false, NULL,      d_cbrt,    NULL},
  {"pow",    2,    SMOOTH,    false, NULL,      d_pow,     NULL},
  {"hypot",  2,    SMOOTH,    false, NULL,      d_hypot,   NULL},
  {"fabs",   1,    LINEAR,    true,  NULL,      NULL,      if_fabs},
  {"fmin",   2,    LINEAR,    true,  NULL,      NULL,      if_fmin},
  {"fmax",   2,    LINEAR,    true,  NULL,      NULL,      if_fmax},
  {"erf",    1,    SMOOTH,    false, NULL,      d_erf,     NULL},
  {"floor",  1,    CONSTANT,  true,  NULL,      NULL,      NULL},
  {"ceil",   1,    CONSTANT,  true,  NULL,      NULL,      NULL},
  {"round",  1,    CONSTANT,  true,  NULL,      NULL,      NULL},
  {"trunc",  1,    CONSTANT,  true,  NULL,      NULL,      NULL},
  {"fmod",   2,    LINEAR,    true,  NULL,      d_fmod,    NULL},
  {"lgamma", 1,    SMOOTH,    false, NULL,      d_lgamma,  NULL},
  {"cexp",   1,    SMOOTH,    false, NULL,      d_cexp,    NULL},
  {"clog",   1,    SMOOTH,    false, NULL,      d_clog,    NULL},
  {"csqrt",  1,    SMOOTH,    false, NULL,      d_csqrt,   NULL},
  {"cpow",   2,    SMOOTH,    false, NULL,      d_cpow,    NULL},
  {"csin",   1,    SMOOTH,    false, NULL,      d_csin,    NULL},
  {"ccos",   1,    SMOOTH,    false, NULL,      d_ccos,    NULL},
  {"creal",  1,    SMOOTH,    true,  NULL,      d_creal,   NULL},
  {"cimag",  1,    SMOOTH,    true,  NULL,      d_cimag,   NULL},
  {"cabs",   1,    SMOOTH,    false, NULL,      d_cabs,    NULL},
  {"conj",   1,    CONJUGATE, true,  NULL,      NULL,      NULL},
};
#undef SMOOTH
#undef CONSTANT
#undef LINEAR
#undef CONJUGATE

/* The entry spelled name with one of the suffixes ("" is the double one). */
static const MathFunc *spelled(const char *name, const char *suffixes[], int nsuffixes) {
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    size_t n = strlen(table[i].name);
    for (int s = 0; s < nsuffixes; s++)
      if (!strncmp(table[i].name, name, n) && !strcmp(name + n, suffixes[s]))
        return &table[i];
  }
  return NULL;
}

const MathFunc *ad_math_lookup(const char *name) {
  static const char *suffixes[] = {"", "f"};
  return spelled(name, suffixes, 2);
}

const MathFunc *ad_math_long_double(const char *name) {
  static const char *suffixes[] = {"l"};
  return spelled(name, suffixes, 1);
}

/* Whether name is a float spelling ("sinf"). */
static bool float_spelling(const char *name) {
  const MathFunc *m = ad_math_lookup(name);
  return m && strcmp(m->name, name);
}

const char *ad_math_companion(Expr *call) {
  const MathFunc *m = ad_math_lookup(call->text);
  if (!m || !m->companion)
    return NULL;
  return float_spelling(call->text) ? format("%sf", m->companion) : m->companion;
}

Expr *ad_math_partial(Ad *ad, Expr *call, int i) {
  (void)ad;
  const MathFunc *m = ad_math_lookup(call->text);
  if (!m->partial)
    return NULL;
  Ctx c = {call, call->type, float_spelling(call->text), expr_copy(call->args.items[0]),
           call->args.len > 1 ? expr_copy(call->args.items[1]) : NULL,
           call->cache ? expr_var(call->cache, call->loc) : NULL};
  return m->partial(&c, i);
}

Expr *ad_math_conditional(Expr *call) {
  const MathFunc *m = ad_math_lookup(call->text);
  return m && m->conditional ? m->conditional(call) : NULL;
}
