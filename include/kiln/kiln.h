// kiln: tensors, autograd, probability and Gaussian processes in C++20.
#pragma once
#include "kiln/array_ref.h"
#include "kiln/autograd.h"
#include "kiln/dtype.h"
#include "kiln/error.h"
#include "kiln/forward_ad.h"
#include "kiln/functions.h"
#include "kiln/indexing.h"
#include "kiln/linalg.h"
#include "kiln/options.h"
#include "kiln/scalar.h"
#include "kiln/tensor.h"
