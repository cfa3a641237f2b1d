/* The feature profile (vm.h, "the feature profile"): which of the rules
 * that differ between WebAssembly 2.0 and 3.0 a store loads modules under.
 * Only the decoder and the validator read it (m->features), once per
 * module; translated code never depends on it. */
#include "objects.h"

#include <string.h>

void wb_store_set_features(wb_store *s, wb_features features) { s->features = features; }

wb_features wb_store_features(const wb_store *s) { return s->features; }

bool wb_features_parse(const char *name, wb_features *out)
{
    if (!strcmp(name, "3.0") || !strcmp(name, "3")) {
        *out = WB_FEATURES_3_0;
        return true;
    }
    if (!strcmp(name, "2.0") || !strcmp(name, "2")) {
        *out = WB_FEATURES_2_0;
        return true;
    }
    return false;
}
