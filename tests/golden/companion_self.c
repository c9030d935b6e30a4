#include <math.h>
#include <stdlib.h>

#include "companion_self.h"

/* issue 20's reduced input (its own spelling, double; the free is added) */
double rp(double a, int n, const double *x)
{
    double t2 = tanh(x[0]);
    double w1[16];
    for (int i = 0; i < n; i++)
        w1[i] = 0.5 * cos(((tanh(0.735) * 0.817) + x[i]));
    double *b3 = malloc((size_t)n * sizeof(double));
    for (int i = 0; i < n; i++)
        b3[i] = sin(x[0]);
    double t4 = 0.0;
    for (int i5 = 0; i5 < n; i5++)
        for (int j6 = 0; j6 < n; j6++)
            if (t4 > 1.44) { }
    for (int i = 0; i < n; i++) {
        w1[i] /= 2.0 + atan(-0.935);
        w1[i] *= 0.8 + 0.2 * atan(x[0]);
        w1[i] -= 0.2 * 0.5 * cos((w1[i] + x[1]));
    }
    double fin7 = 0.0;
    for (int i = 0; i < n; i++)
        fin7 += 0.1 * w1[i] * w1[i] + 0.1 * b3[i] * b3[i];
    free(b3);
    return fin7 + t2 * t2 + t4 * t4 + a;
}
#pragma vgrad value_and_grad(rp) argnums(0, 2)

/* an element updated from sin/cos of itself, spelled `w[i] = w[i] - e`,
 * with w's elements taped where read (more writes than reads) */
REAL element(const REAL *x, int n) {
  REAL w[8];
  for (int i = 0; i < n; i++)
    w[i] = x[i];
  for (int i = 0; i < n; i++) {
    w[i] *= (REAL)0.9;
    w[i] = w[i] - (REAL)0.3 * cos(w[i] + x[1]);
    w[i] /= (REAL)1.1;
    w[i] += x[0];
    w[i] = w[i] + (REAL)0.2 * sin(w[i] * x[0]);
  }
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += w[i] * x[i];
  return s * s;
}
#pragma vgrad value_and_grad(element) argnums(0)

/* a scalar: in a loop and outside one, `=` and `-=` */
REAL scalar(const REAL *x, int n) {
  REAL s = x[0];
  s -= (REAL)0.4 * sin(s + x[1]);
  for (int i = 0; i < n; i++) {
    s = s - (REAL)0.3 * cos(s + x[i]);
    s -= (REAL)0.2 * sin(s * x[1]);
  }
  return s * s;
}
#pragma vgrad value_and_grad(scalar) argnums(0)

/* a scalar x = x + sin(x * w[i]) in a loop, w's elements taped where read:
 * its cos is computed after the statement from the angle kept before it */
REAL angle_taped(const REAL *x, int n) {
  REAL w[4] = {x[0], x[1], x[2], x[3]};
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s = s + sin(s * w[i % 4] + x[4]);
  for (int k = 0; k < 4; k++) {
    w[k] += x[k];
    w[k] *= (REAL)0.5;
    w[k] -= x[0];
    w[k] += (REAL)0.1;
  }
  return s + w[0] * w[1] + w[2];
}
#pragma vgrad value_and_grad(angle_taped) argnums(0)

/* an element through a pointer, the array's elements taped where read */
REAL deref(const REAL *x, int n) {
  REAL w[8];
  for (int i = 0; i < n; i++)
    w[i] = x[i];
  for (int i = 0; i < n; i++) {
    REAL *q = w + i;
    *q *= (REAL)0.8;
    *q += x[0];
    *q /= (REAL)1.2;
    *q -= (REAL)0.25 * cos(*q + x[0]);
    *q = *q - (REAL)0.1 * sin(*q * x[1]);
  }
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += w[i] * x[i];
  return s * s;
}
#pragma vgrad value_and_grad(deref) argnums(0)

/* a member reached through a pointer, and an element through a pointer */
REAL member(const REAL *x, const struct cell *start, int n) {
  struct cell c[8];
  REAL w[8];
  for (int i = 0; i < n; i++) {
    c[i].v = x[i] + start[i].v;
    c[i].g = x[i] * x[0] + start[i].g;
    w[i] = x[i] + x[1];
  }
  for (int i = 0; i < n; i++) {
    struct cell *p = &c[i];
    REAL *q = w + i;
    p->v *= (REAL)1.1;
    p->v = p->v - (REAL)0.3 * cos(p->v + x[1]);
    p->g -= (REAL)0.2 * sin(p->g + p->v);
    *q *= (REAL)0.8;
    *q -= (REAL)0.25 * cos(*q + x[0]);
  }
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += c[i].v * c[i].g + w[i] * w[i];
  return s;
}
#pragma vgrad value_and_grad(member) argnums(0)

#ifdef VG_DRIVER
#include "companion_self.vg.h"
#include "fdcheck.h"

static double in_dx[6] = {0.1, 0.2, -0.3, 0.4, 0.5, -0.25}, in_a = 0.7;
static REAL in_x[6] = {0.1, 0.2, -0.3, 0.4, 0.5, -0.25};
static int in_n = 6;

/* rp is double whatever REAL is: checked with double steps */
static double loss_rp_at(double *dx, double a) { return rp(a, in_n, dx); }
static REAL loss_element(void) { return element(in_x, in_n); }
static REAL loss_scalar(void) { return scalar(in_x, in_n); }
static struct cell in_start[6] = {{0.1, 0.2}, {-0.1, 0.3}, {0.2, -0.2}, {0.0, 0.1}, {0.3, 0.3}, {-0.2, 0.4}};
static REAL loss_angle(void) { return angle_taped(in_x, in_n); }
static REAL loss_deref(void) { return deref(in_x, in_n); }
static REAL loss_member(void) { return member(in_x, in_start, in_n); }

int main(void) {
  for (in_n = 1; in_n <= 6; in_n += 5) {
    double d_a = 0, d_dx[6] = {0};
    fd_value("rp", rp_value_and_grad(in_a, in_n, in_dx, &d_a, d_dx), loss_rp_at(in_dx, in_a));
    for (int k = 0; k <= 6; k++) { /* k = 6: a */
      double *at = k < 6 ? &in_dx[k] : &in_a, x0 = *at, h = 1e-6;
      *at = x0 + h;
      double fp = loss_rp_at(in_dx, in_a);
      *at = x0 - h;
      double fm = loss_rp_at(in_dx, in_a);
      *at = x0;
      double numeric = (fp - fm) / (2 * h), analytic = k < 6 ? d_dx[k] : d_a;
      fd_checks++;
      if (fabs(analytic - numeric) > 1e-6 + 1e-5 * fabs(numeric)) {
        fd_failures++;
        printf("MISMATCH rp %s[%d]: analytic %.10g, numeric %.10g\n", k < 6 ? "d_x" : "d_a", k, analytic, numeric);
      }
    }

    REAL d_x[6] = {0};
    fd_value("element", element_value_and_grad(in_x, in_n, d_x), loss_element());
    fd_check_array("element d_x", in_x, d_x, 6, loss_element);

    REAL s_x[6] = {0};
    fd_value("scalar", scalar_value_and_grad(in_x, in_n, s_x), loss_scalar());
    fd_check_array("scalar d_x", in_x, s_x, 6, loss_scalar);

    REAL a_x[6] = {0};
    fd_value("angle_taped", angle_taped_value_and_grad(in_x, in_n, a_x), loss_angle());
    fd_check_array("angle_taped d_x", in_x, a_x, 6, loss_angle);

    REAL p_x[6] = {0};
    fd_value("deref", deref_value_and_grad(in_x, in_n, p_x), loss_deref());
    fd_check_array("deref d_x", in_x, p_x, 6, loss_deref);

    REAL m_x[6] = {0};
    fd_value("member", member_value_and_grad(in_x, in_start, in_n, m_x), loss_member());
    fd_check_array("member d_x", in_x, m_x, 6, loss_member);
  }
  return fd_report("companion_self");
}
#endif
