/* struct_pointer_members: selected struct parameters whose members point to
 * floating data (design 1.7): the gradient is a struct of the same type
 * whose pointers the caller points at gradient buffers of the same
 * lengths, and scalar members are accumulated in place.  Spellings: p.w[i],
 * *(p.b + i), p->w[i], a local alias `REAL *w = p.w`, a member passed to a
 * helper, a `const REAL *` member, a by-value struct, `const Layer *` and
 * an array of them,
 * `Layer *` (written through in place and read again), a by-value struct
 * whose int and scalar members the body changes, and a nested struct whose
 * members point into one buffer, its gradient struct into one gradient
 * buffer the same way. */
#include <math.h>

#include "struct_pointer_members.h"

static REAL dot(const REAL *a, const REAL *x, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += a[i] * x[i];
  return s;
}

/* by value: p.w[i], *(p.b + i), an alias, a helper */
REAL layer_value(Layer p, const REAL *x) {
  REAL *w = p.w;
  REAL s = dot(p.w, x, p.n);
  for (int i = 0; i < p.n; i++)
    s += sin(w[i]) * *(p.b + i) * p.scale;
  return s * s;
}
#pragma vgrad value_and_grad(layer_value) argnums(0)

/* through a const pointer: p->w[i], a const alias of p->b */
REAL layer_const(const Layer *p, const REAL *x) {
  const REAL *b = p->b;
  REAL s = 0;
  for (int i = 0; i < p->n; i++)
    s += tanh(p->w[i] * x[i] + b[i]) * p->scale;
  return s;
}
#pragma vgrad value_and_grad(layer_const) argnums(0)

/* through a pointer, the weights changed in place and read again */
REAL layer_inplace(Layer *p, const REAL *x) {
  for (int i = 0; i < p->n; i++)
    p->w[i] = p->w[i] * p->w[i] + p->b[i] * x[i];
  REAL s = 0;
  for (int i = 0; i < p->n; i++)
    s += p->w[i] * p->scale * *(p->w + i);
  return s;
}
#pragma vgrad value_and_grad(layer_inplace) argnums(0)

/* by value, its int and scalar members changed by the body */
REAL layer_trimmed(Layer p, const REAL *x) {
  p.n = p.n - 1;
  p.scale = p.scale * p.scale;
  REAL s = 0;
  for (int i = 0; i < p.n; i++)
    s += p.w[i] * x[i] * p.scale + p.b[i];
  return s * p.scale;
}
#pragma vgrad value_and_grad(layer_trimmed) argnums(0)

/* a nested struct whose members point into one buffer */
REAL model_loss(const Model *m, const int *tokens, int T) {
  const struct Weights *w = &m->params;
  REAL loss = 0;
  for (int t = 0; t < T; t++) {
    const REAL *te = w->wte + tokens[t] * m->C;
    for (int c = 0; c < m->C; c++) {
      REAL h = (te[c] + m->params.wpe[t * m->C + c]) * w->lnw[c];
      loss += h * h;
    }
  }
  return log(1 + loss);
}
#pragma vgrad value_and_grad(model_loss) argnums(0)

/* an array of such structs: layers[l].w[i], and through `&layers[l]` */
REAL stack_loss(const Layer *layers, int L, const REAL *x) {
  REAL s = 0;
  for (int l = 0; l < L; l++) {
    const Layer *p = &layers[l];
    for (int i = 0; i < p->n; i++)
      s += layers[l].w[i] * x[i] * p->b[i] * p->scale;
  }
  return s * s;
}
#pragma vgrad value_and_grad(stack_loss) argnums(0)

#ifdef VG_DRIVER
#include <string.h>

#include "struct_pointer_members.vg.h"
#include "fdcheck.h"

enum { N = 4, V = 3, C = 2, T = 2 };
static REAL in_w[N] = {0.4, -0.3, 0.25, 0.8}, in_b[N] = {0.1, -0.2, 0.3, 0.15};
static REAL in_x[N] = {0.5, -1.0, 1.5, 0.7};
static Layer in_layer = {in_w, in_b, N, 1.3};
static REAL loss_value(void) { return layer_value(in_layer, in_x); }
static REAL loss_const(void) { return layer_const(&in_layer, in_x); }
static REAL loss_trimmed(void) { return layer_trimmed(in_layer, in_x); }
static REAL in_w2[2] = {0.6, -0.45}, in_b2[2] = {0.2, 0.9};
static Layer in_stack[2] = {{in_w, in_b, N, 1.3}, {in_w2, in_b2, 2, -0.7}};
static REAL loss_stack(void) { return stack_loss(in_stack, 2, in_x); }
static REAL loss_inplace(void) {
  REAL w[N]; /* layer_inplace changes the weights it is given: each run on a copy */
  memcpy(w, in_w, sizeof w);
  Layer p = in_layer;
  p.w = w;
  return layer_inplace(&p, in_x);
}

static REAL in_params[V * C + T * C + C] = {0.3, -0.2, 0.5, 0.1, -0.4, 0.6, 0.2, 0.35, -0.15, 0.45, 1.1, 0.9};
static const int in_tokens[T] = {2, 0};
static Model in_model = {{in_params, in_params + V * C, in_params + V * C + T * C}, V, C};
static REAL loss_model(void) { return model_loss(&in_model, in_tokens, T); }

/* a gradient struct whose pointers the caller points at zeroed buffers */
static Layer grad_layer(REAL *d_w, REAL *d_b) {
  memset(d_w, 0, N * sizeof *d_w);
  memset(d_b, 0, N * sizeof *d_b);
  Layer d = {d_w, d_b, 0, 0};
  return d;
}

static void check_layer(const char *what, const Layer *d, const REAL *d_w, const REAL *d_b, fd_loss_fn loss) {
  char name[64];
  snprintf(name, sizeof name, "%s d_w", what);
  fd_check_array(name, in_w, d_w, N, loss);
  snprintf(name, sizeof name, "%s d_b", what);
  fd_check_array(name, in_b, d_b, N, loss);
  snprintf(name, sizeof name, "%s d_scale", what);
  fd_check(name, -1, &in_layer.scale, d->scale, loss);
}

int main(void) {
  REAL d_w[N], d_b[N];
  Layer d = grad_layer(d_w, d_b);
  fd_value("layer_value", layer_value_value_and_grad(in_layer, in_x, &d), loss_value());
  check_layer("layer_value", &d, d_w, d_b, loss_value);

  d = grad_layer(d_w, d_b);
  fd_value("layer_const", layer_const_value_and_grad(&in_layer, in_x, &d), loss_const());
  check_layer("layer_const", &d, d_w, d_b, loss_const);

  d = grad_layer(d_w, d_b);
  fd_value("layer_trimmed", layer_trimmed_value_and_grad(in_layer, in_x, &d), loss_trimmed());
  check_layer("layer_trimmed", &d, d_w, d_b, loss_trimmed);

  REAL w[N], changed[N];
  memcpy(w, in_w, sizeof w);
  Layer p = in_layer;
  p.w = w;
  d = grad_layer(d_w, d_b);
  REAL v = layer_inplace_value_and_grad(&p, in_x, &d);
  memcpy(changed, w, sizeof w);
  fd_value("layer_inplace", v, loss_inplace());
  memcpy(w, in_w, sizeof w);
  p.w = w;
  layer_inplace(&p, in_x);
  for (int i = 0; i < N; i++) /* the weights as the original leaves them */
    fd_same("layer_inplace w", i, changed[i], w[i]);
  check_layer("layer_inplace", &d, d_w, d_b, loss_inplace);

  REAL d_w2[2] = {0, 0}, d_b2[2] = {0, 0};
  Layer d_stack[2] = {grad_layer(d_w, d_b), {d_w2, d_b2, 0, 0}};
  fd_value("stack_loss", stack_loss_value_and_grad(in_stack, 2, in_x, d_stack), loss_stack());
  fd_check_array("stack_loss d_w", in_w, d_w, N, loss_stack);
  fd_check_array("stack_loss d_b", in_b, d_b, N, loss_stack);
  fd_check_array("stack_loss d_w2", in_w2, d_w2, 2, loss_stack);
  fd_check_array("stack_loss d_b2", in_b2, d_b2, 2, loss_stack);
  for (int l = 0; l < 2; l++)
    fd_check("stack_loss d_scale", l, &in_stack[l].scale, d_stack[l].scale, loss_stack);

  /* the gradient struct points into one gradient buffer as the parameters do */
  REAL grads[V * C + T * C + C];
  memset(grads, 0, sizeof grads);
  Model d_model = {{grads, grads + V * C, grads + V * C + T * C}, 0, 0};
  fd_value("model_loss", model_loss_value_and_grad(&in_model, in_tokens, T, &d_model), loss_model());
  fd_check_array("model_loss d_params", in_params, grads, V * C + T * C + C, loss_model);
  return fd_report("struct_pointer_members");
}
#endif
