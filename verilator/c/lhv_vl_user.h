/* What the lauberhorn `verilator` crate's Verilator runtime hooks
 * (lhv_vl_user.cpp) throw when a model stops: the shim catches it at the C
 * ABI and reports it, instead of Verilator aborting the process. */
#ifndef LHV_VL_USER_H
#define LHV_VL_USER_H

#include <string>

/** A `$stop`, `$fatal`, failed assertion or runtime error, with Verilator's
 * message ("%Error: file:line: ..."). */
struct lhv_stopped {
    std::string message;
};

#endif /* LHV_VL_USER_H */
