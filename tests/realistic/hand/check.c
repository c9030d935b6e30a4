/* The hand objective's gradient against central finite differences
 * (tests/fdcheck.h): four bones (a chain of three and a second child of
 * the root), five vertices, four observed points. */
#include "fdcheck.h"
#include "hand.h"
#include "hand.vg.h"

enum { BONES = 4, VERTICES = 5, POINTS = 4, THETA = 6 + 2 * BONES };

static REAL theta[THETA] = {0.2, -0.1, 0.3, 0.05, -0.2, 0.1, 0.4, -0.2, 0.3, 0.1, -0.5, 0.25, 0.15, -0.3};
static const int parents[BONES] = {-1, 0, 1, 0};
/* each a turn about z by a small angle and a shift along the bone */
static REAL base_relatives[16 * BONES] = {
    1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1,
    0.98, -0.2, 0, 0, 0.2, 0.98, 0, 1.0, 0, 0, 1, 0, 0, 0, 0, 1,
    0.95, 0.31, 0, 0, -0.31, 0.95, 0, 0.8, 0, 0, 1, 0.1, 0, 0, 0, 1,
    1, 0, 0, 0.3, 0, 0.96, -0.28, 0.5, 0, 0.28, 0.96, 0, 0, 0, 0, 1,
};
static REAL inverse_base_absolutes[16 * BONES] = {
    1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1,
    0.98, 0.2, 0, -0.2, -0.2, 0.98, 0, -0.98, 0, 0, 1, 0, 0, 0, 0, 1,
    0.99, 0.1, 0, -0.3, -0.1, 0.99, 0, -1.7, 0, 0, 1, -0.1, 0, 0, 0, 1,
    1, 0, 0, -0.3, 0, 0.96, 0.28, -0.48, 0, -0.28, 0.96, 0.14, 0, 0, 0, 1,
};
static REAL base_positions[4 * VERTICES] = {
    0.1, 0.2, 0.0, 1, 0.3, 1.1, 0.1, 1, -0.2, 1.9, 0.05, 1, 0.4, 0.6, -0.1, 1, 0.0, 2.5, 0.2, 1,
};
static REAL weights[VERTICES * BONES] = {
    1.0, 0.0, 0.0, 0.0, 0.3, 0.7, 0.0, 0.0, 0.0, 0.4, 0.6, 0.0, 0.5, 0.0, 0.0, 0.5, 0.0, 0.2, 0.8, 0.0,
};
static const int correspondences[POINTS] = {1, 2, 3, 4};
static REAL points[3 * POINTS] = {0.4, 1.0, 0.2, -0.1, 2.0, 0.3, 0.6, 0.5, -0.2, 0.1, 2.4, 0.4};

static REAL loss(void)
{
    return hand_objective(theta, BONES, parents, base_relatives, inverse_base_absolutes, VERTICES,
                          base_positions, weights, POINTS, correspondences, points);
}

int main(void)
{
    REAL d_theta[THETA] = {0};
    REAL value = hand_objective_value_and_grad(theta, BONES, parents, base_relatives, inverse_base_absolutes,
                                               VERTICES, base_positions, weights, POINTS, correspondences,
                                               points, d_theta);
    fd_value("err", value, loss());
    fd_check_array("d_theta", theta, d_theta, THETA, loss);
    /* the rotation's identity branch: a zero angle-axis */
    REAL saved[3] = {theta[0], theta[1], theta[2]};
    theta[0] = theta[1] = theta[2] = 0;
    REAL d_zero[THETA] = {0};
    value = hand_objective_value_and_grad(theta, BONES, parents, base_relatives, inverse_base_absolutes,
                                          VERTICES, base_positions, weights, POINTS, correspondences, points,
                                          d_zero);
    fd_value("err at zero rotation", value, loss());
    fd_check_array("d_theta at zero rotation", theta + 3, d_zero + 3, THETA - 3, loss);
    theta[0] = saved[0], theta[1] = saved[1], theta[2] = saved[2];
    return fd_report("realistic/hand");
}
