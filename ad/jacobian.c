/* jacobian(f): the dense Jacobian, row-major, rows the outputs in the
 * order listed (`return` where listed), columns the selected inputs'
 * elements in the order listed.  Reverse: a vjp per row with a unit
 * cotangent; forward: a jvp per column with a unit tangent (design 1.6).
 * The vjp and jvp are generated as static helpers by the usual pipeline,
 * the lengths of the pragma standing in for the declared lengths of the
 * outputs; the loop around them is built here.  Without mode(...) the
 * fewer passes win: decided here when the lengths are constants, else at
 * run time, with both helpers. */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  Derivative *d;
  Func *out;
  Var **params;        /* the generated function's copies of f's parameters */
  Var *jac, *rows, *cols, *pass;
  NameSet names;
  Vec *decls, *body;
} Jac;

static const char *fresh(Jac *j, const char *base) { return name_set_fresh(&j->names, base); }

static Var *local(Jac *j, const char *base, Type *t, Expr *init) {
  Var *v = var_local(fresh(j, base), t);
  vec_push(j->decls, stmt_decl(v, init));
  return v;
}

/* A length of the pragma, over the generated function's parameters. */
static Expr *length_of(Jac *j, Expr *len) {
  return expr_clone(len, (Var **)j->d->primal->params.items, j->params, j->d->primal->params.len);
}

/* for (i = 0; i < n; i += 1) body */
static Stmt *counted(Jac *j, const char *base, Expr *n, Stmt *(*make)(Jac *, Var *, void *), void *ctx) {
  Var *i = local(j, base, type_int(), expr_int(0));
  Stmt *loop = new_stmt(ST_FOR, (Loc){0});
  loop->for_init = stmt_expr(expr_assign(OP_NONE, expr_var(i, (Loc){0}), expr_int(0)));
  loop->expr = expr_binary(OP_LT, expr_var(i, (Loc){0}), n, type_int());
  loop->step = expr_assign(OP_ADD, expr_var(i, (Loc){0}), expr_int(1));
  Stmt *b = stmt_block((Loc){0});
  vec_push(&b->body, make(j, i, ctx));
  loop->then = b;
  return loop;
}

static Expr *call3(const char *name, Type *t, Expr *a, Expr *b, Expr *c) {
  Expr *e = expr_call(name, t, a, b);
  vec_push(&e->args, c);
  return e;
}

/* A block of `count` elements of type `elem`: a local array when count is
 * a small constant (a call per observation allocates nothing), else
 * calloc'ed and freed at the end. */
static Var *block_of(Jac *j, const char *base, Type *elem, Expr *count, Vec *frees) {
  long n = 0;
  if (count->kind == EX_NUM && integer_literal(count->text, &n) && n > 0 && n <= 64) {
    Type *t = type_array_of(elem, n);
    Expr *zero = new_expr(EX_INIT, t, (Loc){0});
    vec_push(&zero->args, expr_num("0", type_int()));
    return local(j, base, t, zero);
  }
  Var *v = local(j, base, type_pointer_to(elem),
                 expr_call("calloc", type_pointer_to(elem), count, expr_sizeof_type(elem, (Loc){0})));
  vec_push(frees, stmt_call("free", expr_var(v, (Loc){0})));
  return v;
}

/* memcpy(dst, src, n * sizeof(elem)) */
static Stmt *copy(Expr *dst, Expr *src, Expr *n, Type *elem) {
  return stmt_expr(
      call3("memcpy", type_void(), dst, src, expr_binary(OP_MUL, n, expr_sizeof_type(elem, (Loc){0}), type_long())));
}

/* One entry of the selected inputs or the outputs: its offset among the
 * columns or rows, its length (NULL: one element), its parameter (NULL:
 * the return value), the buffer the helper reads or writes for it. */
typedef struct {
  Var *param;      /* of the generated function; NULL: the return value */
  Expr *len;       /* NULL: a scalar, one entry */
  Var *offset;     /* int local: where its entries start */
  Var *buf;        /* pointer to its cotangent/gradient/tangent block, or the scalar's local */
  Var *saved;      /* a copy of what the caller passed (outputs and writable array inputs), put back before each pass */
  Type *elem;
} Part;

static Expr *v(Var *x) { return expr_var(x, (Loc){0}); }

typedef struct {
  Part *part;
  Expr *row; /* jac index of entry i: row * cols + offset + i, or (offset + i) * cols + col */
  bool by_row;
} Copy;

static Stmt *copy_entry(Jac *j, Var *i, void *ctx) {
  Copy *c = ctx;
  Expr *k = expr_binary(OP_ADD, v(c->part->offset), v(i), type_int());
  Expr *index = c->by_row ? expr_binary(OP_ADD, expr_binary(OP_MUL, v(j->pass), v(j->cols), type_int()), k, type_int())
                          : expr_binary(OP_ADD, expr_binary(OP_MUL, k, v(j->cols), type_int()), v(j->pass), type_int());
  return stmt_expr(expr_assign(OP_NONE, expr_index(v(j->jac), index, type_double()),
                               expr_cast(type_double(), expr_index(v(c->part->buf), v(i), c->part->elem))));
}

/* if (pass - offset >= 0 && pass - offset < len) buf[pass - offset] = value; a scalar: buf = (pass == offset)
 * for 1, buf = 0 for 0 */
static Stmt *unit(Part *p, Var *pass, const char *value) {
  Expr *k = expr_binary(OP_SUB, v(pass), v(p->offset), type_int());
  if (!p->len && !strcmp(value, "0"))
    return stmt_expr(expr_assign(OP_NONE, v(p->buf), expr_num("0", type_int())));
  if (!p->len)
    return stmt_expr(expr_assign(OP_NONE, v(p->buf),
                                 expr_cast(p->elem, expr_binary(OP_EQ, v(pass), v(p->offset), type_int()))));
  Expr *inside = expr_binary(OP_LAND, expr_binary(OP_GE, k, expr_int(0), type_int()),
                             expr_binary(OP_LT, expr_copy(k), expr_copy(p->len), type_int()), type_int());
  Stmt *set =
      stmt_expr(expr_assign(OP_NONE, expr_index(v(p->buf), expr_copy(k), p->elem), expr_num(value, type_int())));
  Stmt *then = stmt_block((Loc){0});
  vec_push(&then->body, set);
  return stmt_if(inside, then, NULL);
}

static Type *elem_of(Var *param) {
  Type *t = param->type->kind == TY_PTR || param->type->kind == TY_ARRAY ? param->type->base : param->type;
  return type_adjoint(t);
}

/* The helper's call: f's parameters, then its own in its order. */
static Expr *helper_call(Jac *j, Derivative *h, Vec *extra) {
  Expr *e = expr_call(h->name, j->d->primal->ret, NULL, NULL);
  for (int i = 0; i < j->d->primal->params.len; i++)
    vec_push(&e->args, v(j->params[i]));
  for (int i = 0; i < extra->len; i++)
    vec_push(&e->args, extra->items[i]);
  return e;
}

/* The body of one mode: the passes, each putting back the outputs and the
 * writable arrays, setting a unit (co)tangent, calling the helper, and
 * copying its row or column into jac. */
static void passes(Jac *j, Derivative *h, bool by_row, Part *rows, int nrows, Part *cols, int ncols, Var *result,
                   Stmt *into, Vec *frees) {
  Derivative *d = j->d;
  Var *pass = j->pass;
  Stmt *loop = new_stmt(ST_FOR, (Loc){0});
  Expr *count = expr_binary(OP_GT, v(by_row ? j->rows : j->cols), expr_int(0), type_int());
  Expr *npasses = new_expr(EX_COND, type_int(), (Loc){0});
  npasses->cond = count; /* one pass at least: f runs, and its value is returned, with no rows or columns */
  npasses->lhs = v(by_row ? j->rows : j->cols);
  npasses->rhs = expr_int(1);
  loop->for_init = stmt_expr(expr_assign(OP_NONE, v(pass), expr_int(0)));
  loop->expr = expr_binary(OP_LT, v(pass), npasses, type_int());
  loop->step = expr_assign(OP_ADD, v(pass), expr_int(1));
  Stmt *b = stmt_block((Loc){0});
  Part *seeded = by_row ? rows : cols;
  int nseeded = by_row ? nrows : ncols;
  Part *read = by_row ? cols : rows;
  int nread = by_row ? ncols : nrows;
  /* the (co)tangent blocks of this mode */
  for (int i = 0; i < nseeded; i++) {
    Part *p = &seeded[i];
    if (p->len)
      p->buf = block_of(j, format("%s_%s", by_row ? "ct" : "t", p->param->name), p->elem, expr_copy(p->len), frees);
    else
      p->buf = local(j, p->param ? format("%s_%s", by_row ? "ct" : "t", p->param->name) : by_row ? "ct_ret" : "t_ret",
                     p->elem, expr_num("0", type_int()));
  }
  for (int i = 0; i < nread; i++) {
    Part *p = &read[i];
    if (p->len)
      p->buf = block_of(j, format("%s_%s", by_row ? "d" : "t", p->param->name), p->elem, expr_copy(p->len), frees);
    else
      p->buf = local(j, p->param ? format("%s_%s", by_row ? "d" : "t", p->param->name) : "t_ret", p->elem,
                     expr_num("0", type_int()));
  }
  for (int i = 0; i < nrows + ncols; i++) {
    Part *p = i < nrows ? &rows[i] : &cols[i - nrows];
    if (p->saved)
      vec_push(&b->body, copy(v(p->param), v(p->saved), expr_copy(p->len), p->elem));
  }
  if (by_row)
    for (int i = 0; i < ncols; i++) {
      Part *p = &cols[i];
      if (p->len)
        vec_push(&b->body, stmt_expr(call3("memset", type_void(), v(p->buf), expr_int(0),
                                           expr_binary(OP_MUL, expr_copy(p->len), expr_sizeof_type(p->elem, (Loc){0}),
                                                       type_long()))));
      else
        vec_push(&b->body, stmt_expr(expr_assign(OP_NONE, v(p->buf), expr_num("0", type_int()))));
    }
  for (int i = 0; i < nseeded; i++)
    vec_push(&b->body, unit(&seeded[i], pass, "1"));
  /* the helper's arguments */
  Vec extra = {0};
  if (by_row) {
    if (d->primal->ret->kind != TY_VOID) {
      Expr *ct_ret = expr_num("0", type_int()); /* the return value is not a row */
      for (int i = 0; i < nrows; i++)
        if (!rows[i].param)
          ct_ret = v(rows[i].buf);
      vec_push(&extra, ct_ret);
    }
    for (int k = 0; k < h->outputs.len; k++)
      for (int i = 0; i < nrows; i++)
        if (rows[i].param && rows[i].param->param_index == ((Var *)h->outputs.items[k])->param_index)
          vec_push(&extra, v(rows[i].buf));
    for (int k = 0; k < h->selected.len; k++)
      for (int i = 0; i < ncols; i++)
        if (cols[i].param->param_index == ((Var *)h->selected.items[k])->param_index)
          vec_push(&extra, cols[i].len ? v(cols[i].buf) : expr_addr_of(v(cols[i].buf)));
  } else {
    for (int k = 0; k < h->selected.len; k++)
      for (int i = 0; i < ncols; i++)
        if (cols[i].param->param_index == ((Var *)h->selected.items[k])->param_index)
          vec_push(&extra, v(cols[i].buf));
    if (d->primal->ret->kind != TY_VOID) {
      Var *t_ret = NULL;
      for (int i = 0; i < nrows; i++)
        if (!rows[i].param)
          t_ret = rows[i].buf;
      if (!t_ret)
        t_ret = local(j, "t_ret", type_adjoint(d->primal->ret), expr_num("0", type_int()));
      vec_push(&extra, expr_addr_of(v(t_ret)));
    }
    for (int k = 0; k < h->outputs.len; k++)
      for (int i = 0; i < nrows; i++)
        if (rows[i].param && rows[i].param->param_index == ((Var *)h->outputs.items[k])->param_index)
          vec_push(&extra, v(rows[i].buf));
  }
  Expr *call = helper_call(j, h, &extra);
  free(extra.items);
  vec_push(&b->body, stmt_expr(result ? expr_assign(OP_NONE, v(result), call) : call));
  for (int i = 0; i < nseeded; i++)
    vec_push(&b->body, unit(&seeded[i], pass, "0"));
  /* its row or column of jac */
  Stmt *write = stmt_block((Loc){0});
  for (int i = 0; i < nread; i++) {
    Part *p = &read[i];
    Copy c = {p, NULL, by_row};
    if (p->len) {
      vec_push(&write->body, counted(j, "i", expr_copy(p->len), copy_entry, &c));
    } else {
      Expr *k = v(p->offset);
      Expr *index = by_row ? expr_binary(OP_ADD, expr_binary(OP_MUL, v(pass), v(j->cols), type_int()), k, type_int())
                           : expr_binary(OP_ADD, expr_binary(OP_MUL, k, v(j->cols), type_int()), v(pass), type_int());
      vec_push(&write->body, stmt_expr(expr_assign(OP_NONE, expr_index(v(j->jac), index, type_double()),
                                                   expr_cast(type_double(), v(p->buf)))));
    }
  }
  vec_push(&b->body, stmt_if(expr_binary(OP_LT, v(pass), v(by_row ? j->rows : j->cols), type_int()), write, NULL));
  loop->then = b;
  vec_push(&into->body, loop);
}

/* copy_entry for lane `lane` of a lanes pass: row pass + lane, from that lane's buffer */
typedef struct {
  Part *part;
  Var *buf;
  int lane;
} LaneCopy;

static Stmt *copy_lane_entry(Jac *j, Var *i, void *ctx) {
  LaneCopy *c = ctx;
  Expr *k = expr_binary(OP_ADD, v(c->part->offset), v(i), type_int());
  Expr *row = expr_binary(OP_ADD, v(j->pass), expr_int(c->lane), type_int());
  Expr *index = expr_binary(OP_ADD, expr_binary(OP_MUL, row, v(j->cols), type_int()), k, type_int());
  return stmt_expr(expr_assign(OP_NONE, expr_index(v(j->jac), index, type_double()),
                               expr_cast(type_double(), expr_index(v(c->buf), v(i), c->part->elem))));
}

/* buf[row - offset] = value when row falls in the part (a scalar: buf = (row == offset) or 0) */
static Stmt *unit_at(Part *p, Var *buf, Expr *row, const char *value) {
  if (!p->len && !strcmp(value, "0"))
    return stmt_expr(expr_assign(OP_NONE, v(buf), expr_num("0", type_int())));
  if (!p->len)
    return stmt_expr(
        expr_assign(OP_NONE, v(buf), expr_cast(p->elem, expr_binary(OP_EQ, row, v(p->offset), type_int()))));
  Expr *k = expr_binary(OP_SUB, row, v(p->offset), type_int());
  Expr *inside = expr_binary(OP_LAND, expr_binary(OP_GE, k, expr_int(0), type_int()),
                             expr_binary(OP_LT, expr_copy(k), expr_copy(p->len), type_int()), type_int());
  Stmt *then = stmt_block((Loc){0});
  vec_push(&then->body, stmt_expr(expr_assign(OP_NONE, expr_index(v(buf), expr_copy(k), p->elem),
                                              expr_num(value, type_int()))));
  return stmt_if(inside, then, NULL);
}

/* The reverse mode with a vjp for `lanes` rows at once (ad/lanes.c): the
 * passes step by `lanes` rows, each lane with its own cotangent and
 * gradient blocks; one forward sweep for them all. */
static void lane_passes(Jac *j, Derivative *h, int lanes, Part *rows, int nrows, Part *cols, int ncols, Var *result,
                        Stmt *into, Vec *frees) {
  Derivative *d = j->d;
  Var *pass = j->pass;
  Var **row_bufs = xcalloc((size_t)(nrows * lanes) + 1, sizeof(Var *));
  Var **col_bufs = xcalloc((size_t)(ncols * lanes) + 1, sizeof(Var *));
  for (int k = 0; k < lanes; k++) {
    for (int i = 0; i < nrows; i++) {
      Part *p = &rows[i];
      const char *name = format("%s_%d", p->param ? format("ct_%s", p->param->name) : "ct_ret", k);
      row_bufs[i * lanes + k] = p->len ? block_of(j, name, p->elem, expr_copy(p->len), frees)
                                       : local(j, name, p->elem, expr_num("0", type_int()));
    }
    for (int i = 0; i < ncols; i++) {
      Part *p = &cols[i];
      const char *name = format("d_%s_%d", p->param->name, k);
      col_bufs[i * lanes + k] = p->len ? block_of(j, name, p->elem, expr_copy(p->len), frees)
                                       : local(j, name, p->elem, expr_num("0", type_int()));
    }
  }
  Stmt *loop = new_stmt(ST_FOR, (Loc){0});
  loop->for_init = stmt_expr(expr_assign(OP_NONE, v(pass), expr_int(0)));
  loop->expr = expr_binary(OP_LT, v(pass), v(j->rows), type_int());
  loop->step = expr_assign(OP_ADD, v(pass), expr_int(lanes));
  Stmt *b = stmt_block((Loc){0});
  for (int i = 0; i < nrows + ncols; i++) {
    Part *p = i < nrows ? &rows[i] : &cols[i - nrows];
    if (p->saved)
      vec_push(&b->body, copy(v(p->param), v(p->saved), expr_copy(p->len), p->elem));
  }
  for (int k = 0; k < lanes; k++)
    for (int i = 0; i < ncols; i++) {
      Part *p = &cols[i];
      Var *buf = col_bufs[i * lanes + k];
      if (p->len)
        vec_push(&b->body, stmt_expr(call3("memset", type_void(), v(buf), expr_int(0),
                                           expr_binary(OP_MUL, expr_copy(p->len), expr_sizeof_type(p->elem, (Loc){0}),
                                                       type_long()))));
      else
        vec_push(&b->body, stmt_expr(expr_assign(OP_NONE, v(buf), expr_num("0", type_int()))));
    }
  for (int k = 0; k < lanes; k++)
    for (int i = 0; i < nrows; i++)
      vec_push(&b->body, unit_at(&rows[i], row_bufs[i * lanes + k],
                                 expr_binary(OP_ADD, v(pass), expr_int(k), type_int()), "1"));
  /* the helper's arguments, each of its own once per lane */
  Vec extra = {0};
  if (d->primal->ret->kind != TY_VOID)
    for (int k = 0; k < lanes; k++) {
      Expr *ct_ret = expr_num("0", type_int());
      for (int i = 0; i < nrows; i++)
        if (!rows[i].param)
          ct_ret = v(row_bufs[i * lanes + k]);
      vec_push(&extra, ct_ret);
    }
  for (int m = 0; m < h->outputs.len; m++)
    for (int i = 0; i < nrows; i++)
      if (rows[i].param && rows[i].param->param_index == ((Var *)h->outputs.items[m])->param_index)
        for (int k = 0; k < lanes; k++)
          vec_push(&extra, v(row_bufs[i * lanes + k]));
  for (int m = 0; m < h->selected.len; m++)
    for (int i = 0; i < ncols; i++)
      if (cols[i].param->param_index == ((Var *)h->selected.items[m])->param_index)
        for (int k = 0; k < lanes; k++)
          vec_push(&extra, cols[i].len ? v(col_bufs[i * lanes + k]) : expr_addr_of(v(col_bufs[i * lanes + k])));
  Expr *call = helper_call(j, h, &extra);
  free(extra.items);
  vec_push(&b->body, stmt_expr(result ? expr_assign(OP_NONE, v(result), call) : call));
  for (int k = 0; k < lanes; k++)
    for (int i = 0; i < nrows; i++)
      vec_push(&b->body, unit_at(&rows[i], row_bufs[i * lanes + k],
                                 expr_binary(OP_ADD, v(pass), expr_int(k), type_int()), "0"));
  for (int k = 0; k < lanes; k++) {
    Stmt *write = stmt_block((Loc){0});
    for (int i = 0; i < ncols; i++) {
      Part *p = &cols[i];
      Var *buf = col_bufs[i * lanes + k];
      if (p->len) {
        LaneCopy c = {p, buf, k};
        vec_push(&write->body, counted(j, "i", expr_copy(p->len), copy_lane_entry, &c));
      } else {
        Expr *row = expr_binary(OP_ADD, v(pass), expr_int(k), type_int());
        Expr *index = expr_binary(OP_ADD, expr_binary(OP_MUL, row, v(j->cols), type_int()), v(p->offset), type_int());
        vec_push(&write->body, stmt_expr(expr_assign(OP_NONE, expr_index(v(j->jac), index, type_double()),
                                                     expr_cast(type_double(), v(buf)))));
      }
    }
    vec_push(&b->body, stmt_if(expr_binary(OP_LT, expr_binary(OP_ADD, v(pass), expr_int(k), type_int()), v(j->rows),
                                           type_int()),
                               write, NULL));
  }
  loop->then = b;
  vec_push(&into->body, loop);
  free(row_bufs);
  free(col_bufs);
}

/* vjp or jvp of f, a static helper of the jacobian function: the pragma's
 * selection and outputs, `return` and the lengths left out. */
static Pragma *helper_pragma(Pragma *p, PragmaKind kind, const char *name) {
  Pragma *q = xcalloc(1, sizeof(Pragma));
  *q = *p;
  q->kind = kind;
  q->out_name = name;
  q->mode = NULL;
  q->noutputs = 0;
  for (int i = 0; i < p->noutputs; i++) {
    if (!strcmp(p->outputs[i], "return"))
      continue;
    q->outputs[q->noutputs] = p->outputs[i];
    q->outputs_loc[q->noutputs] = p->outputs_loc[i];
    q->output_lens[q->noutputs++] = NULL;
  }
  q->has_outputs = q->noutputs > 0;
  for (int i = 0; i < p->nargnames; i++)
    q->argname_lens[i] = NULL;
  return q;
}

/* The sum of the lengths, a scalar counting 1; -1 unless all are literals. */
static long constant_total(Vec *lens) {
  long total = 0;
  for (int i = 0; i < lens->len; i++) {
    Expr *e = lens->items[i];
    long k = 1;
    if (e && (e->kind != EX_NUM || !integer_literal(e->text, &k)))
      return -1;
    total += k;
  }
  return total;
}

static Part *parts_of(Jac *j, Vec *vars, Vec *lens, const char *suffix, Var **total) {
  Part *parts = xcalloc((size_t)vars->len + 1, sizeof(Part));
  Expr *sum = expr_int(0);
  for (int i = 0; i < vars->len; i++) {
    Var *pv = vars->items[i];
    Part *p = &parts[i];
    p->param = pv ? j->params[pv->param_index] : NULL;
    p->len = lens->items[i] ? length_of(j, lens->items[i]) : NULL;
    p->elem = pv ? elem_of(pv) : type_adjoint(j->d->primal->ret);
    p->offset = local(j, format("%s_%s", pv ? pv->name : "ret", suffix), type_int(), sum);
    sum = expr_binary(OP_ADD, v(p->offset), p->len ? expr_copy(p->len) : expr_int(1), type_int());
  }
  *total = local(j, suffix[0] == 'r' ? "rows" : "cols", type_int(), sum);
  return parts;
}

Derivative *ad_jacobian(Program *prog, Pragma *p, Vec *out, Derivative *(*make)(Program *, Pragma *)) {
  Derivative *d = xcalloc(1, sizeof(Derivative));
  if (!ad_select(prog, p, d))
    return NULL;
  Func *f = d->primal;
  for (int i = 0; i < d->rows.len; i++) /* d->rows: Var* per output row block, NULL for return */
    if (d->rows.items[i] && vec_contains(&d->selected, d->rows.items[i])) {
      Var *v = d->rows.items[i];
      error_at(p->func_loc, "jacobian(%s): '%s' is both in argnames(...) and in outputs(...); the Jacobian of what "
               "'%s' leaves in an array w.r.t. what it held before the call is not supported yet: copy the input "
               "into a parameter of its own", p->func, v->name, p->func);
      return NULL;
    }
  bool rev, fwd;
  long nrows = constant_total(&d->row_lens), ncols = constant_total(&d->column_lens);
  if (p->mode)
    fwd = !(rev = !strcmp(p->mode, "rev"));
  else if (nrows >= 0 && ncols >= 0)
    fwd = !(rev = nrows < ncols);
  else
    rev = fwd = true; /* chosen at run time */
  /* the pragma's lengths of the outputs stand in for their declared ones */
  Expr **declared = xcalloc((size_t)f->params.len + 1, sizeof(Expr *));
  for (int i = 0; i < f->params.len; i++)
    declared[i] = ((Var *)f->params.items[i])->declared_len;
  for (int i = 0; i < d->rows.len; i++)
    if (d->rows.items[i])
      ((Var *)d->rows.items[i])->declared_len = d->row_lens.items[i];
  Derivative *hv = rev ? make(prog, helper_pragma(p, PRAGMA_VJP, format("%s_by_vjp", d->name))) : NULL;
  Derivative *hf = fwd && (!rev || hv) ? make(prog, helper_pragma(p, PRAGMA_JVP, format("%s_by_jvp", d->name))) : NULL;
  for (int i = 0; i < f->params.len; i++)
    ((Var *)f->params.items[i])->declared_len = declared[i];
  free(declared);
  if ((rev && !hv) || (fwd && !hf))
    return NULL;
  for (int k = 0; k < 2; k++) {
    Derivative *h = k ? hf : hv;
    if (h) {
      h->internal = true;
      vec_push(out, h);
    }
  }

  Jac jac = {.d = d}, *j = &jac;
  Func *fn = xcalloc(1, sizeof(Func));
  fn->name = d->name;
  fn->ret = f->ret;
  fn->loc = f->loc;
  d->out = fn;
  j->out = fn;
  j->params = xcalloc((size_t)f->params.len + 1, sizeof(Var *));
  for (int i = 0; i < f->params.len; i++) {
    Var *q = xcalloc(1, sizeof(Var));
    *q = *(Var *)f->params.items[i];
    q->param_index = i;
    j->params[i] = q;
    vec_push(&fn->params, q);
    name_set_add(&j->names, q->name);
  }
  name_set_add(&j->names, d->name);
  if (hv)
    name_set_add(&j->names, hv->name);
  if (hf)
    name_set_add(&j->names, hf->name);
  if (name_set_contains(&j->names, "jac")) {
    error_at(p->func_loc, "jacobian(%s): a parameter is named 'jac', the name of the Jacobian's output; rename it",
             f->name);
    return NULL;
  }
  j->jac = var_local(fresh(j, "jac"), type_pointer_to(type_double()));
  j->jac->param_index = f->params.len;
  vec_push(&fn->params, j->jac);

  Stmt *body = stmt_block(f->loc);
  Vec decls = {0}, frees = {0};
  j->decls = &decls;
  Part *rows = parts_of(j, &d->rows, &d->row_lens, "row", &j->rows);
  Part *cols = parts_of(j, &d->columns, &d->column_lens, "col", &j->cols);
  Var *result = f->ret->kind != TY_VOID ? local(j, "result", f->ret, expr_num("0", type_int())) : NULL;
  j->pass = local(j, "pass", type_int(), expr_int(0));
  Vec saves = {0};
  for (int i = 0; i < d->rows.len + d->columns.len; i++) {
    Part *q = i < d->rows.len ? &rows[i] : &cols[i - d->rows.len];
    /* the outputs (f may add to them) and arrays f may write: as the caller passed them, before each pass */
    if (!q->param || !q->len || q->param->type->base->is_const)
      continue;
    q->saved = block_of(j, format("%s_given", q->param->name), q->elem, expr_copy(q->len), &frees);
    vec_push(&saves, copy(v(q->saved), v(q->param), expr_copy(q->len), q->elem));
  }
  Stmt *by_rows = stmt_block(f->loc), *by_cols = stmt_block(f->loc);
  /* a constant number of rows, 2 to LANES_MAX, reverse: one forward sweep for all of them (ad/lanes.c) */
  int lanes = hv && !hf && nrows >= 2 && nrows <= LANES_MAX && ad_lanes(hv, (int)nrows) ? (int)nrows : 1;
  if (lanes > 1)
    lane_passes(j, hv, lanes, rows, d->rows.len, cols, d->columns.len, result, by_rows, &frees);
  else if (hv)
    passes(j, hv, true, rows, d->rows.len, cols, d->columns.len, result, by_rows, &frees);
  if (hf)
    passes(j, hf, false, rows, d->rows.len, cols, d->columns.len, result, by_cols, &frees);
  for (int i = 0; i < decls.len; i++)
    if (hv || ((Stmt *)decls.items[i])->var != j->rows) /* forward alone counts the rows by its loops */
      vec_push(&body->body, decls.items[i]);
  for (int i = 0; i < saves.len; i++)
    vec_push(&body->body, saves.items[i]);
  if (hv && hf) {
    vec_push(&body->body, stmt_comment("reverse (a vjp per row) when there are fewer rows than columns"));
    vec_push(&body->body, stmt_if(expr_binary(OP_LT, v(j->rows), v(j->cols), type_int()), by_rows, by_cols));
  } else {
    vec_push(&body->body, stmt_comment(lanes > 1 ? format("one vjp for the %d rows", lanes)
                                       : hv      ? "a vjp per row"
                                                 : "a jvp per column"));
    vec_push(&body->body, hv ? by_rows : by_cols);
  }
  for (int i = 0; i < frees.len; i++)
    vec_push(&body->body, frees.items[i]);
  if (result) {
    Stmt *r = new_stmt(ST_RETURN, f->loc);
    r->expr = v(result);
    vec_push(&body->body, r);
  }
  fn->body = body;
  free(decls.items);
  free(frees.items);
  free(saves.items);
  return d;
}
