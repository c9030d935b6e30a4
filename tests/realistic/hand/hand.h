#ifndef HAND_H
#define HAND_H
#ifndef REAL
#define REAL double
#endif
REAL hand_objective(const REAL *theta, int n_bones, const int *parents, const REAL *base_relatives,
                    const REAL *inverse_base_absolutes, int n_vertices, const REAL *base_positions,
                    const REAL *weights, int n_points, const int *correspondences, const REAL *points);
#endif
