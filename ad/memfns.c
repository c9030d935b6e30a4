/* memcpy, memmove and memset of floating data, as element loops.  The C
 * library copies bytes, which the reverse sweep cannot follow; a copy of
 * COUNT doubles is the loop `for (k = 0; k < COUNT; k++) dst[k] = src[k];`
 * (memset to 0: `dst[k] = 0`), whose adjoint the sweeps already know.
 * The byte count must say how many elements it is: COUNT * sizeof(T),
 * sizeof(T) * COUNT, COUNT * sizeof *p, sizeof array, with T the element
 * type; anything else is refused, naming the user's buffer.  memmove copies
 * backward when the destination lies after the source (decided here when
 * both are offsets into one array, else at run time).  A copy of integers
 * (indices the reverse sweep reads again) becomes the same loop when its
 * size is readable, so the values it overwrites are saved like any
 * other; otherwise it stays the call it is, as do calls on other data.  Run on a function's private
 * copy after sequence.c (the arguments are free of effects) and before
 * normalize.c lowers it. */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  Ad *ad;
  bool failed;
  bool integer_data; /* rewriting a copy of integers: what cannot be rewritten stays a call */
} MemPass;

typedef enum { MEM_COPY, MEM_MOVE, MEM_SET } MemKind;

static bool mem_kind(const Expr *e, MemKind *kind) {
  if (e->kind != EX_CALL || e->call != CALL_PLAIN || !e->text)
    return false;
  if (!strcmp(e->text, "memcpy"))
    *kind = MEM_COPY;
  else if (!strcmp(e->text, "memmove"))
    *kind = MEM_MOVE;
  else if (!strcmp(e->text, "memset"))
    *kind = MEM_SET;
  else
    return false;
  return true;
}

/* A pointer argument without the conversions to void * (and back). */
static Expr *strip_pointer_casts(Expr *e) {
  while (e->kind == EX_CAST && (e->type->kind == TY_PTR || e->type->kind == TY_ARRAY) &&
         (e->lhs->type->kind == TY_PTR || e->lhs->type->kind == TY_ARRAY))
    e = e->lhs;
  return e;
}

static Expr *strip_implicit(Expr *e) {
  while (e->kind == EX_CAST && e->implicit)
    e = e->lhs;
  return e;
}

static Expr *strip_integer_casts(Expr *e) {
  while (e->kind == EX_CAST && type_is_integer(e->type))
    e = e->lhs;
  return e;
}

/* What a pointer argument points at: T for T * and T[]; NULL otherwise. */
static Type *pointee(Expr *e) {
  if (!e || (e->type->kind != TY_PTR && e->type->kind != TY_ARRAY) || !e->type->base)
    return NULL;
  return type_unqualified(e->type->base);
}

static bool has_floating(Type *t) { return t && type_has_floating(t); }

/* A call of one of the three on data with floating content: ours to rewrite. */
static bool is_floating_memfn(const Expr *e, const void *unused) {
  (void)unused;
  MemKind kind;
  if (!mem_kind(e, &kind) || e->args.len < 1)
    return false;
  if (has_floating(pointee(strip_pointer_casts(e->args.items[0]))))
    return true;
  return kind != MEM_SET && e->args.len >= 2 && has_floating(pointee(strip_pointer_casts(e->args.items[1])));
}

/* The same element type, qualifiers aside. */
static bool same_element(Type *a, Type *b) {
  if (a->kind != b->kind)
    return false;
  switch (a->kind) {
  case TY_STRUCT:
    return a->name && b->name && !strcmp(a->name, b->name);
  case TY_ARRAY:
    return a->array_len == b->array_len && same_element(a->base, b->base);
  case TY_PTR:
    return same_element(a->base, b->base);
  case TY_INT:
  case TY_CHAR:
    return a->name && b->name && !strcmp(a->name, b->name);
  default:
    return true;
  }
}

/* A struct of numbers and arrays of them (nested too): copied with '='. */
static bool plain_struct(Type *t) {
  if (t->kind != TY_STRUCT || t->is_union || !t->nmembers)
    return false;
  for (int i = 0; i < t->nmembers; i++) {
    Type *m = t->members[i].type;
    while (m->kind == TY_ARRAY)
      m = m->base;
    if (!type_is_arith(m) && !plain_struct(m))
      return false;
  }
  return true;
}

static const char *type_text(Type *t) { return declare(t, ""); }

/* A floating element's size; a struct's is not known here (0). */
static long element_bytes(Type *t) {
  return type_scalar_bytes(t);
}

/* How many elements of type `elem` the sizeof `e` measures: 1 for
 * sizeof(double) or sizeof *x, the length for sizeof of an array of them;
 * 0 when e is no sizeof, -1 when it measures something else. */
static long elements_in(Expr *e, Type *elem) {
  if (!e->sizeof_bytes)
    return 0;
  Type *t = e->sizeof_type;
  if (!t) /* through a macro we could not read: its size must be one element's */
    return e->sizeof_bytes == element_bytes(elem) ? 1 : -1;
  long n = 1;
  for (; t->kind == TY_ARRAY; t = t->base) {
    if (t->array_len < 0)
      return -1;
    n *= t->array_len;
  }
  return same_element(type_unqualified(t), elem) ? n : -1;
}

static Expr *times(Expr *count, long n) {
  if (n == 1)
    return count;
  return expr_binary(OP_MUL, count, expr_num(format("%ld", n), type_int()), count->type);
}

/* The element count of a byte count: COUNT * sizeof(T), sizeof(T) * COUNT
 * (among more factors, too), sizeof array.  NULL when it is not one; *bad
 * then holds a sizeof that measures another type, if there is one. */
static Expr *count_of(Expr *bytes, Type *elem, Expr **bad) {
  Expr *e = strip_integer_casts(bytes);
  long n = elements_in(e, elem);
  if (n > 0)
    return expr_num(format("%ld", n), type_int());
  if (n < 0) {
    *bad = e;
    return NULL;
  }
  if (e->kind != EX_BINARY || e->op != OP_MUL)
    return NULL;
  Expr *l = strip_integer_casts(e->lhs), *r = strip_integer_casts(e->rhs);
  long nr = elements_in(r, elem), nl = elements_in(l, elem);
  if (nr > 0)
    return times(expr_copy(strip_implicit(e->lhs)), nr);
  if (nl > 0)
    return times(expr_copy(strip_implicit(e->rhs)), nl);
  if (nr < 0 || nl < 0) {
    *bad = nr < 0 ? r : l;
    return NULL;
  }
  Expr *inner = count_of(e->lhs, elem, bad);
  if (inner)
    return expr_binary(OP_MUL, inner, expr_copy(strip_implicit(e->rhs)), inner->type);
  inner = count_of(e->rhs, elem, bad);
  if (inner)
    return expr_binary(OP_MUL, expr_copy(strip_implicit(e->lhs)), inner, inner->type);
  return NULL;
}

/* The index `at + k + delta` (delta 0, or -1 for a loop counting down
 * from the count), a literal `at` folded in: buf[k] for buf + 1. */
static Expr *plus(Expr *at, Expr *k, long delta) {
  long value = 0;
  Expr *lit = at ? strip_implicit(at) : NULL;
  if (!at || (lit->kind == EX_NUM && integer_literal(lit->text, &value))) {
    value += delta;
    if (value == 0)
      return k;
    return expr_binary(value > 0 ? OP_ADD : OP_SUB, k, expr_num(format("%ld", labs(value)), type_int()), k->type);
  }
  if (delta)
    k = expr_binary(OP_SUB, k, expr_num("1", type_int()), k->type);
  if (at->kind == EX_NEG) /* x - off */
    return expr_binary(OP_SUB, k, expr_copy(at->lhs), at->type);
  return expr_binary(OP_ADD, expr_copy(at), k, at->type);
}

/* Where a pointer argument points: the array (or pointer) and the offset
 * into it: &a[i] is (a, i), x + off is (x, off), p is (p, NULL).  false
 * for the address of one variable (&x) or a member. */
static bool split_address(Expr *p, Expr **array, Expr **offset) {
  *offset = NULL;
  if (p->kind == EX_ADDR) {
    Expr *l = p->lhs;
    if (l->kind != EX_INDEX)
      return false;
    *array = l->lhs;
    *offset = l->rhs;
    return true;
  }
  if (p->kind == EX_BINARY && (p->op == OP_ADD || p->op == OP_SUB) && p->lhs->type->kind != TY_INT &&
      type_is_integer(p->rhs->type)) {
    *array = p->lhs;
    if (p->op == OP_ADD) {
      *offset = p->rhs;
    } else {
      *offset = expr_unary(EX_NEG, p->rhs, p->rhs->type);
    }
    return true;
  }
  if (p->kind == EX_BINARY && p->op == OP_ADD && type_is_integer(p->lhs->type)) {
    *array = p->rhs;
    *offset = p->lhs;
    return true;
  }
  *array = p;
  return true;
}

/* array[offset + k + delta] */
static Expr *element(Expr *array, Expr *offset, Expr *k, long delta, Type *elem) {
  Expr *e = new_expr(EX_INDEX, elem, array->loc);
  e->lhs = expr_copy(array);
  e->rhs = plus(offset, k, delta);
  return e;
}

/* array[offset], array[0] without one */
static Expr *first_element(Expr *array, Expr *offset, Type *elem) {
  Expr *e = new_expr(EX_INDEX, elem, array->loc);
  e->lhs = expr_copy(array);
  e->rhs = !offset ? expr_num("0", type_int())
           : offset->kind == EX_NEG ? expr_unary(EX_NEG, expr_copy(offset->lhs), offset->type)
                                    : expr_copy(offset);
  return e;
}

static bool reads_floating(const Expr *e, const void *unused) {
  (void)unused;
  return type_is_floating(e->type);
}

/* An integer part of an address or count that depends on floating values
 * (a (int)x[0]): the copy could change it while it runs. */
static bool count_depends_on_data(Expr *e) { return e && expr_any(e, reads_floating, NULL); }

/* A call to a function of the input (inlined where it stands). */
static bool find_user_call(const Expr *e, const void *ctx) {
  const void *const *c = ctx;
  const Program *prog = c[0];
  if (e->kind != EX_CALL)
    return false;
  for (int i = 0; i < prog->funcs.len; i++) {
    const Func *f = prog->funcs.items[i];
    if (f->body && !strcmp(f->name, e->text)) {
      *(const Expr **)c[1] = e;
      return true;
    }
  }
  return false;
}

/* An offset that is an integer literal (none is 0): its value. */
static bool literal_offset(Expr *offset, long *value) {
  *value = 0;
  if (!offset)
    return true;
  Expr *o = strip_implicit(offset);
  if (o->kind == EX_NEG && strip_implicit(o->lhs)->kind == EX_NUM &&
      integer_literal(strip_implicit(o->lhs)->text, value)) {
    *value = -*value;
    return true;
  }
  return o->kind == EX_NUM && integer_literal(o->text, value);
}

/* 0, or (struct S){0} */
static Expr *zero(Type *elem, Loc loc) {
  if (elem->kind != TY_STRUCT)
    return expr_num("0", elem);
  Expr *lit = new_expr(EX_COMPOUND, elem, loc);
  lit->lhs = new_expr(EX_INIT, elem, loc);
  return lit;
}

/* The loop `for (k = from; cond; step) body`, k declared like a user's
 * `for (int k = ...)`: normalize.c hoists it and makes it a counted loop. */
static Stmt *counted_loop(Var *k, Expr *from, Expr *cond, bool up, Stmt *body, Loc loc) {
  Stmt *f = new_stmt(ST_FOR, loc);
  Stmt *init = new_stmt(ST_DECL, loc);
  init->var = k;
  init->init = from;
  f->for_init = init;
  f->expr = cond;
  Expr *step = new_expr(EX_INCDEC, k->type, loc);
  step->lhs = expr_var(k, loc);
  step->increment = up;
  f->step = step;
  f->then = body;
  return f;
}

static Stmt *assign_stmt(Expr *lhs, Expr *rhs, Loc loc) {
  Stmt *s = stmt_expr(expr_assign(OP_NONE, lhs, rhs));
  s->loc = loc;
  s->expr->loc = loc;
  return s;
}

/* dst[k] = src[k] (or 0) for k from 0 up to count, or down from count. */
static Stmt *copy_loop(MemPass *m, const char *fn, Expr *dst_array, Expr *dst_off, Expr *src_array, Expr *src_off, Type *elem,
                       Expr *count, bool up, Loc loc) {
  Type *kt = count->type->kind == TY_INT ? type_unqualified(count->type) : type_int();
  Var *k = ad_new_local(m->ad, format("%s_k", fn), kt, false);
  k->loc = loc;
  vec_push(&m->ad->f->locals, k);
  long delta = up ? 0 : -1;
  Expr *lhs = element(dst_array, dst_off, expr_var(k, loc), delta, elem);
  Expr *rhs = src_array ? element(src_array, src_off, expr_var(k, loc), delta, elem) : zero(elem, loc);
  Stmt *body = stmt_block(loc);
  vec_push(&body->body, assign_stmt(lhs, rhs, loc));
  Expr *cond = up ? expr_binary(OP_LT, expr_var(k, loc), expr_copy(count), type_int())
                  : expr_binary(OP_GT, expr_var(k, loc), expr_num("0", type_int()), type_int());
  return counted_loop(k, up ? expr_num("0", kt) : expr_copy(count), cond, up, body, loc);
}

/* A variable that no other pointer can reach: a local array. */
static bool own_array(Expr *array) {
  Var *v = lvalue_root(array);
  return v && v->type->kind == TY_ARRAY && v->param_index < 0 && !v->is_global && array->kind == EX_VAR;
}

static Stmt *refuse(MemPass *m, Loc loc, char *message) {
  if (m->integer_data) { /* left as the call */
    free(message);
    return NULL;
  }
  error_at(loc, "%s", message);
  free(message);
  m->failed = true;
  return NULL;
}

/* The statement replacing `call;`, or NULL: left as it is (no floating
 * data), or refused (m->failed). */
/* A call of one of the three on arrays of integers of one type. */
static bool is_integer_memfn(const Expr *e) {
  MemKind kind;
  if (!mem_kind(e, &kind) || e->args.len != 3)
    return false;
  Type *dst = pointee(strip_pointer_casts(e->args.items[0]));
  Type *src = kind == MEM_SET ? dst : pointee(strip_pointer_casts(e->args.items[1]));
  return dst && src && type_is_integer(dst) && same_element(dst, src);
}

static Stmt *rewrite_call(MemPass *m, Expr *call, MemKind kind, Loc loc) {
  const char *fn = call->text;
  m->integer_data = is_integer_memfn(call);
  if (!m->integer_data && !is_floating_memfn(call, NULL))
    return NULL;
  if (call->args.len != 3)
    return refuse(m, call->loc, format("call to '%s' with %d arguments", fn, call->args.len));
  Expr *dst = strip_pointer_casts(call->args.items[0]);
  Expr *src = kind == MEM_SET ? NULL : strip_pointer_casts(call->args.items[1]);
  const char *dst_name = expr_to_user_c(dst), *src_name = src ? expr_to_user_c(src) : NULL;
  Type *elem = pointee(dst), *src_elem = src ? pointee(src) : NULL;
  Type *floating = has_floating(elem) ? elem : src_elem;
  const char *floating_name = has_floating(elem) ? dst_name : src_name;
  if (!elem || (src && !src_elem) || (src && !same_element(elem, src_elem))) {
    Type *other = has_floating(elem) ? src_elem : elem;
    const char *other_name = has_floating(elem) ? src_name : dst_name;
    if (!elem || !src_elem || !type_is_floating(floating) || !other || !type_is_floating(other))
      return refuse(m, call->loc, format("'%s' between '%s' (%s data) and '%s', which does not hold the same type, "
                                         "is not supported; copy the elements in a loop, converting each",
                                         fn, floating_name, type_text(floating), other_name));
    return refuse(m, call->loc, format("'%s' from '%s' (%s) to '%s' (%s) copies bytes, not values; copy the "
                                       "elements in a loop, converting each", fn, src_name, type_text(src_elem),
                                       dst_name, type_text(elem)));
  }
  if (!type_is_floating(elem) && !plain_struct(elem) && !m->integer_data)
    return refuse(m, call->loc, format("'%s' of '%s', whose elements are '%s', is not supported: only arrays of "
                                       "double, float or structs of them; copy the elements (or rows) in a loop",
                                       fn, floating_name, type_text(elem)));
  Expr *bytes_arg = call->args.items[2];
  Expr *bad = NULL;
  Expr *count = count_of(bytes_arg, elem, &bad);
  if (!count && bad && bad->sizeof_type)
    return refuse(m, bad->loc, format("'%s' of '%s': '%s' measures '%s', not the %s elements of '%s'; write the "
                                      "size as COUNT * sizeof(%s)", fn, floating_name, expr_to_user_c(bad),
                                      type_text(bad->sizeof_type), type_text(elem), floating_name, type_text(elem)));
  if (!count && bad)
    return refuse(m, bad->loc, format("'%s' of '%s': this sizeof measures %ld bytes, not one %s element of '%s'; "
                                      "write the size as COUNT * sizeof(%s)", fn, floating_name, bad->sizeof_bytes,
                                      type_text(elem), floating_name, type_text(elem)));
  if (!count)
    return refuse(m, bytes_arg->loc, format("'%s' of '%s': cannot tell how many %s elements '%s' bytes are; write "
                                            "the size as COUNT * sizeof(%s) or COUNT * sizeof *%s", fn,
                                            floating_name, type_text(elem), expr_to_user_c(bytes_arg),
                                            type_text(elem), floating_name));
  if (kind == MEM_SET) {
    long value;
    Expr *v = strip_integer_casts(call->args.items[1]);
    if (v->kind != EX_NUM || !integer_literal(v->text, &value) || value != 0) {
      if (v->kind == EX_NUM && v->text[0] == '\'' && (!strcmp(v->text, "'\\0'") || !strcmp(v->text, "'\\x0'")))
        value = 0;
      else
        return refuse(m, call->loc, format("'memset' of '%s' (%s data) with the byte '%s' is not supported: only 0 "
                                           "gives a number; assign the value to each element in a loop", dst_name,
                                           type_text(elem), expr_to_user_c(call->args.items[1])));
    }
  }
  Expr *dst_array, *dst_off, *src_array = NULL, *src_off = NULL;
  long one;
  bool single = count->kind == EX_NUM && integer_literal(count->text, &one) && one == 1;
  bool dst_split = split_address(dst, &dst_array, &dst_off);
  bool src_split = !src || split_address(src, &src_array, &src_off);
  const Expr *user_call = NULL;
  for (int i = 0; i < 3 && !user_call; i++)
    expr_any(call->args.items[i], find_user_call, (const void *[]){m->ad->prog, &user_call});
  if (user_call) /* it would run once per element */
    return refuse(m, user_call->loc, format("'%s' of '%s' with a call to '%s' in its arguments is not supported; keep "
                                            "the call's value in a variable first", fn, floating_name,
                                            user_call->text));
  if (count_depends_on_data(count) || count_depends_on_data(dst_off) || count_depends_on_data(src_off))
    return refuse(m, call->loc, format("'%s' of '%s' whose size or position depends on floating-point values is "
                                       "not supported; compute it into an int variable first", fn, floating_name));
  if (!dst_split || !src_split) {
    Expr *whole = !dst_split ? dst : src;
    if (!single || whole->kind != EX_ADDR)
      return refuse(m, whole->loc, format("'%s' of more than one element at '%s', the address of one variable or "
                                          "member, is not supported; copy from and to an array", fn,
                                          expr_to_user_c(whole)));
  }
  if (single) { /* memcpy(&y, &x, sizeof x): y = x */
    Expr *lhs = dst_split ? first_element(dst_array, dst_off, elem) : expr_copy(dst->lhs);
    Expr *rhs = !src ? zero(elem, loc) : src_split ? first_element(src_array, src_off, elem) : expr_copy(src->lhs);
    return assign_stmt(lhs, rhs, loc);
  }
  if (kind != MEM_MOVE)
    return copy_loop(m, fn, dst_array, dst_off, src_array, src_off, elem, count, true, loc);
  /* memmove: backward when the destination lies after the source */
  long dst_at, src_at;
  if (expr_equal(strip_implicit(dst_array), strip_implicit(src_array)) && literal_offset(dst_off, &dst_at) &&
      literal_offset(src_off, &src_at))
    return copy_loop(m, fn, dst_array, dst_off, src_array, src_off, elem, count, dst_at <= src_at, loc);
  if (lvalue_root(dst_array) != lvalue_root(src_array) && (own_array(dst_array) || own_array(src_array)))
    return copy_loop(m, fn, dst_array, dst_off, src_array, src_off, elem, count, true, loc);
  Expr *cond = expr_binary(OP_LE, expr_copy(dst), expr_copy(src), type_int());
  cond->loc = loc;
  Stmt *up = copy_loop(m, fn, dst_array, dst_off, src_array, src_off, elem, count, true, loc);
  Stmt *down = copy_loop(m, fn, dst_array, dst_off, src_array, src_off, elem, count, false, loc);
  Stmt *s = stmt_if(cond, up, down);
  s->loc = loc;
  return s;
}

/* The call of `s` when s is `memcpy(...);` or `(void)memcpy(...);`. */
static Expr *statement_call(Stmt *s, MemKind *kind) {
  if (s->kind != ST_EXPR || !s->expr)
    return NULL;
  Expr *e = s->expr;
  if (e->kind == EX_CAST && e->type->kind == TY_VOID)
    e = e->lhs;
  return mem_kind(e, kind) ? e : NULL;
}

static void rewrite_in(MemPass *m, Stmt **slot) {
  Stmt *s = *slot;
  if (!s)
    return;
  MemKind kind;
  Expr *call = statement_call(s, &kind);
  if (call) {
    Stmt *r = rewrite_call(m, call, kind, s->loc);
    if (r)
      *slot = r;
    return;
  }
  for (int i = 0; i < s->body.len; i++)
    rewrite_in(m, (Stmt **)&s->body.items[i]);
  rewrite_in(m, &s->then);
  rewrite_in(m, &s->els);
}

static bool find_floating_memfn(const Expr *e, const void *found) {
  if (!is_floating_memfn(e, NULL))
    return false;
  *(const Expr **)found = e;
  return true;
}

bool ad_lower_memfns(Ad *ad, Stmt *body) {
  MemPass m = {.ad = ad};
  rewrite_in(&m, &body);
  if (m.failed)
    return false;
  const Expr *left = NULL;
  if (stmt_any(body, find_floating_memfn, &left)) {
    error_at(left->loc, "'%s' of '%s' is supported only as a statement of its own (its value unused, outside "
             "a loop's condition or step)", left->text,
             expr_to_user_c(strip_pointer_casts(left->args.items[0])));
    return false;
  }
  return true;
}
