// The tour's sections, one file each, in the order of the notes.
#pragma once
#include "figures.h"

void tape_examples();                 // 3. GradientTape (tape.cpp)
void probability(Figures& figs);      // 5. Probability (probability.cpp)
void gaussian_processes(Figures& figs);  // 6. Gaussian-process priors and posterior (gp.cpp)
