// kiln::nn (torch::nn): modules and the holder idiom, layers, containers,
// nn::functional with the losses, nn::init, saving and loading a module's
// parameters, and kiln::ProgressBar for training loops.
#pragma once
#include "kiln/nn/containers.h"
#include "kiln/nn/functional.h"
#include "kiln/nn/init.h"
#include "kiln/nn/module.h"
#include "kiln/nn/modules.h"
#include "kiln/nn/options.h"
#include "kiln/nn/ordered_dict.h"
#include "kiln/nn/progress.h"
#include "kiln/nn/serialize.h"
