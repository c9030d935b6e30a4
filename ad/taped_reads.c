/* Saving arrays: on writes, or their operands on reads.
 *
 * An array element that a reverse statement reads can be kept two ways:
 * save the old value before every write to the array (and restore it), or
 * tape the value where a statement reads it.  For each array, count both,
 * a statement weighing 16 per enclosing loop, and tape the reads where
 * they are fewer (GMM's Q (x - mu): d^2/2 writes, d reads).  A read counts
 * only where an adjoint needs its value, once per statement, as the
 * reverse sweep tapes it (calls.c, tape_read). */
#include "reverse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The element reads of e whose values an adjoint may need, each once
 * (x[i] * x[i] is one value on the tape): operands of products, quotients,
 * calls, comparisons; not those only added, subtracted, negated or
 * converted to another floating type (out[j] = out[j] + e, c - v[i],
 * c ? v[i] : 0), whose adjoints read no value. */
static void needed_reads(Expr *e, bool linear, Vec *out) {
  if (!e || e->kind == EX_ADDR) /* &v[1] reads no value (a custom rule's argument) */
    return;
  bool element = (e->kind == EX_INDEX || e->kind == EX_DEREF || (e->kind == EX_MEMBER && lvalue_is_memory(e))) &&
                 type_is_floating(e->type);
  if (element && !linear) {
    bool seen = false;
    for (int i = 0; i < out->len && !seen; i++)
      seen = expr_equal(out->items[i], e);
    if (!seen)
      vec_push(out, e);
  }
  bool keeps = type_is_floating(e->type) &&
               ((e->kind == EX_BINARY && (e->op == OP_ADD || e->op == OP_SUB)) || e->kind == EX_NEG ||
                e->kind == EX_PLUS || (e->kind == EX_CAST && type_is_floating(e->lhs->type)));
  if (element)
    keeps = false; /* its index and pointer are no floating values the adjoint adds up */
  needed_reads(e->lhs, linear && (keeps || e->kind == EX_COND), out);
  needed_reads(e->rhs, linear && (keeps || e->kind == EX_COND), out);
  needed_reads(e->cond, false, out);
  for (int i = 0; i < e->args.len; i++)
    needed_reads(e->args.items[i], false, out);
}

/* Adds w for each element read of e from a base in bases that the reverse
 * sweep would tape. */
static void count_element_reads(Expr *e, double w, Vec *bases, double *reads) {
  Vec needed = {0};
  needed_reads(e, true, &needed);
  for (int k = 0; k < needed.len; k++) {
    Var *b = lvalue_root(needed.items[k]);
    for (int i = 0; b && i < bases->len; i++)
      if (bases->items[i] == b)
        reads[i] += w;
  }
  free(needed.items);
}

/* How many times a loop's body runs: known for `for (i = A; i < B; i += 1)`
 * with constants A and B; otherwise counted as 16. */
static double trips(Stmt *s) {
  enum { UNKNOWN = 16 };
  if (s->kind != ST_FOR || !s->var || !s->for_init || s->for_init->kind != ST_EXPR || !s->for_init->expr ||
      s->for_init->expr->kind != EX_ASSIGN || s->for_init->expr->rhs->kind != EX_NUM || !s->expr ||
      s->expr->kind != EX_BINARY || s->expr->op != OP_LT || !s->step)
    return UNKNOWN;
  Expr *l = s->expr->lhs, *r = s->expr->rhs;
  while (l->kind == EX_CAST && l->implicit)
    l = l->lhs;
  while (r->kind == EX_CAST && r->implicit)
    r = r->lhs;
  BinOp op;
  Expr *step = step_of(s->step, &op);
  if (l->kind != EX_VAR || l->var != s->var || r->kind != EX_NUM || !step || step->kind != EX_NUM ||
      strcmp(step->text, "1") || op != OP_ADD)
    return UNKNOWN;
  double n = strtod(r->text, NULL) - strtod(s->for_init->expr->rhs->text, NULL);
  return n >= 1 ? n : 1;
}

/* omp: inside a `#pragma omp parallel for` under -fopenmp, whose reads are
 * never taped (omp.c runs only a loop without tape in parallel). */
static void count_accesses(Stmt *s, double w, bool omp, Vec *bases, double *reads, double *writes) {
  if (!s)
    return;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN) {
    Expr *lhs = s->expr->lhs;
    if (lvalue_is_memory(lhs)) {
      Var *b = lvalue_root(lhs);
      for (int i = 0; i < bases->len; i++)
        if (bases->items[i] == b)
          writes[i] += w;
    }
    count_element_reads(s->expr->rhs, omp ? INFINITY : w, bases, reads);
  }
  bool loop = s->kind == ST_FOR || s->kind == ST_WHILE || s->kind == ST_DO;
  for (int i = 0; i < s->body.len; i++)
    count_accesses(s->body.items[i], w, omp, bases, reads, writes);
  if (s->kind == ST_IF && s->els) { /* one branch runs: the larger counts */
    size_t n = (size_t)bases->len + 1;
    double *r[2] = {xcalloc(n, sizeof(double)), xcalloc(n, sizeof(double))};
    double *wr[2] = {xcalloc(n, sizeof(double)), xcalloc(n, sizeof(double))};
    count_accesses(s->then, w, omp, bases, r[0], wr[0]);
    count_accesses(s->els, w, omp, bases, r[1], wr[1]);
    for (int i = 0; i < bases->len; i++) {
      reads[i] += r[0][i] > r[1][i] ? r[0][i] : r[1][i];
      writes[i] += wr[0][i] > wr[1][i] ? wr[0][i] : wr[1][i];
    }
    for (int k = 0; k < 2; k++) {
      free(r[k]);
      free(wr[k]);
    }
    return;
  }
  bool omp_body = omp || (s->kind == ST_FOR && s->omp && s->omp->openmp);
  count_accesses(s->then, loop ? w * trips(s) : w, omp_body, bases, reads, writes);
  count_accesses(s->els, w, omp, bases, reads, writes);
  count_accesses(s->for_init, w, omp, bases, reads, writes);
}

void choose_read_taped(Reverse *rv) {
  Ad *ad = rv->ad;
  Vec bases = {0};
  stmt_written_bases(ad->f->body, &bases);
  double *reads = xcalloc((size_t)bases.len + 1, sizeof(double));
  double *writes = xcalloc((size_t)bases.len + 1, sizeof(double));
  count_accesses(ad->f->body, 1, false, &bases, reads, writes);
  for (int i = 0; i < bases.len; i++) {
    Var *b = bases.items[i];
    /* an array a recursive call reads is read by its reverse function too */
    /* an array a recursive call or a custom rule reads is read by its reverse function or rule too */
    if (b && type_has_floating(b->type) && reads[i] < writes[i] && !ad_passed_to_recursive(ad->f->body, b) &&
        !ad_passed_to_custom(ad->f->body, b))
      vec_push(&rv->read_taped, b);
  }
  free(reads);
  free(writes);
  free(bases.items);
}
