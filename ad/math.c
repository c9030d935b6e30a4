/* Derivatives of the math.h functions, as expressions of the call's own
 * arguments (evaluated by the reverse sweep with the values they had). */
#include "ad.h"

#include <string.h>

enum {
  M_SIN, M_COS, M_TAN, M_ASIN, M_ACOS, M_ATAN, M_ATAN2, M_SINH, M_COSH, M_TANH,
  M_EXP, M_EXP2, M_EXPM1, M_LOG, M_LOG2, M_LOG10, M_LOG1P, M_SQRT, M_CBRT, M_POW,
  M_HYPOT, M_FABS, M_FMIN, M_FMAX, M_ERF, M_FLOOR, M_CEIL, M_ROUND, M_TRUNC, M_FMOD, M_LGAMMA,
};

static const MathFunc table[] = {
#define F(n, a, fam) {#n, a, false, fam}, {#n "f", a, true, fam}
  F(sin, 1, M_SIN), F(cos, 1, M_COS), F(tan, 1, M_TAN), F(asin, 1, M_ASIN), F(acos, 1, M_ACOS),
  F(atan, 1, M_ATAN), F(atan2, 2, M_ATAN2), F(sinh, 1, M_SINH), F(cosh, 1, M_COSH), F(tanh, 1, M_TANH),
  F(exp, 1, M_EXP), F(exp2, 1, M_EXP2), F(expm1, 1, M_EXPM1), F(log, 1, M_LOG), F(log2, 1, M_LOG2),
  F(log10, 1, M_LOG10), F(log1p, 1, M_LOG1P), F(sqrt, 1, M_SQRT), F(cbrt, 1, M_CBRT), F(pow, 2, M_POW),
  F(hypot, 2, M_HYPOT), F(fabs, 1, M_FABS), F(fmin, 2, M_FMIN), F(fmax, 2, M_FMAX), F(erf, 1, M_ERF),
  F(floor, 1, M_FLOOR), F(ceil, 1, M_CEIL), F(round, 1, M_ROUND), F(trunc, 1, M_TRUNC), F(fmod, 2, M_FMOD),
  F(lgamma, 1, M_LGAMMA),
#undef F
};

const MathFunc *ad_math_lookup(const char *name) {
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (!strcmp(table[i].name, name))
      return &table[i];
  return NULL;
}

bool ad_math_is_piecewise_constant(const MathFunc *m) {
  return m->family == M_FLOOR || m->family == M_CEIL || m->family == M_ROUND || m->family == M_TRUNC;
}

/* Builders that print float constants and functions for float calls. */
typedef struct {
  Type *type;
  bool is_float;
} Ctx;

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

#define LN2 "0.693147180559945309417232121458176568"
#define LN10 "2.30258509299404568401799145468436421"
#define TWO_OVER_SQRT_PI "1.12837916709551257389615890312154517"

Expr *ad_math_partial(Ad *ad, Expr *call, int i) {
  (void)ad;
  const MathFunc *m = ad_math_lookup(call->text);
  Ctx c = {call->type, m->is_float};
  Expr *a = expr_copy(call->args.items[0]);
  Expr *b = call->args.len > 1 ? expr_copy(call->args.items[1]) : NULL;
  /* the call's own value, when the reverse sweep keeps it in a variable */
  Expr *value = call->cache ? expr_var(call->cache, call->loc) : NULL;
#define VALUE(name, ...) (value ? expr_copy(value) : fn(&c, name, __VA_ARGS__))
  switch (m->family) {
  case M_SIN: return call->companion ? expr_var(call->companion, call->loc) : fn(&c, "cos", a);
  case M_COS: return neg(&c, call->companion ? expr_var(call->companion, call->loc) : fn(&c, "sin", a));
  case M_TAN: return dvd(&c, num(&c, "1.0"), sq(&c, fn(&c, "cos", a)));
  case M_ASIN: return dvd(&c, num(&c, "1.0"), fn(&c, "sqrt", sub(&c, num(&c, "1.0"), sq(&c, a))));
  case M_ACOS: return neg(&c, dvd(&c, num(&c, "1.0"), fn(&c, "sqrt", sub(&c, num(&c, "1.0"), sq(&c, a)))));
  case M_ATAN: return dvd(&c, num(&c, "1.0"), add(&c, num(&c, "1.0"), sq(&c, a)));
  case M_ATAN2: {
    /* atan2(a, b): d/da = b / (a² + b²), d/db = -a / (a² + b²) */
    Expr *r2 = add(&c, sq(&c, expr_copy(a)), sq(&c, expr_copy(b)));
    return i == 0 ? dvd(&c, b, r2) : neg(&c, dvd(&c, a, r2));
  }
  case M_SINH: return fn(&c, "cosh", a);
  case M_COSH: return fn(&c, "sinh", a);
  case M_TANH: return sub(&c, num(&c, "1.0"), sq(&c, VALUE("tanh", a)));
  case M_EXP: return VALUE("exp", a);
  case M_EXP2: return mul(&c, VALUE("exp2", a), num(&c, LN2));
  case M_EXPM1: return fn(&c, "exp", a);
  case M_LOG: return dvd(&c, num(&c, "1.0"), a);
  case M_LOG2: return dvd(&c, num(&c, "1.0"), mul(&c, a, num(&c, LN2)));
  case M_LOG10: return dvd(&c, num(&c, "1.0"), mul(&c, a, num(&c, LN10)));
  case M_LOG1P: return dvd(&c, num(&c, "1.0"), add(&c, num(&c, "1.0"), a));
  case M_SQRT: return dvd(&c, num(&c, "0.5"), VALUE("sqrt", a));
  case M_CBRT: return dvd(&c, num(&c, "1.0"), mul(&c, num(&c, "3.0"), sq(&c, VALUE("cbrt", a))));
  case M_POW:
    if (i == 0) /* b * a^(b-1) */
      return mul(&c, b, fn2(&c, "pow", a, sub(&c, expr_copy(b), num(&c, "1.0"))));
    else {
      /* a^b * log(a); a <= 0 contributes nothing (the limit at a = 0). */
      Expr *cond = expr_binary(OP_GT, expr_copy(a), num(&c, "0.0"), type_int());
      Expr *e = new_expr(EX_COND, c.type, a->loc);
      e->cond = cond;
      e->lhs = mul(&c, value ? expr_copy(value) : fn2(&c, "pow", a, b), fn(&c, "log", expr_copy(a)));
      e->rhs = num(&c, "0.0");
      return e;
    }
  case M_HYPOT:
    return dvd(&c, i == 0 ? a : b, value ? expr_copy(value) : fn2(&c, "hypot", expr_copy(a), expr_copy(b)));
  case M_ERF: return mul(&c, num(&c, TWO_OVER_SQRT_PI), fn(&c, "exp", neg(&c, sq(&c, a))));
  case M_LGAMMA: /* digamma, defined in the generated file */
    return expr_call(c.is_float ? "vgradcc_digammaf" : "vgradcc_digamma", c.type, a, NULL);
  case M_FMOD:
    /* fmod(a, b) = a - trunc(a / b) * b */
    return i == 0 ? num(&c, "1.0") : neg(&c, fn(&c, "trunc", dvd(&c, a, b)));
  case M_FABS:
  case M_FMIN:
  case M_FMAX: /* rewritten as ?: by the reverse sweep */
  default:
    return NULL;
  }
#undef VALUE
}
