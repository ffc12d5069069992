// The Verilator runtime's user hooks: verilated.cpp is compiled with
// VL_USER_FINISH, VL_USER_STOP and VL_USER_FATAL, and these replace its
// defaults, which suit a simulator's own main but not a test process driving
// many models: a second $finish exits the process (with status 0, so a test
// run would end as if it passed), and $stop, $fatal or a failed assertion
// aborts it. Here $finish only marks the thread's context finished, and the
// others throw lhv_stopped, which the shim turns into an error of that model.
#include "verilated.h"
#include "lhv_vl_user.h"

#include <string>

static std::string lhv_error_text(const char* filename, int linenum, const char* msg) {
    std::string s = "%Error: ";
    if (filename && filename[0]) {
        s += filename;
        s += ":" + std::to_string(linenum) + ": ";
    }
    return s + msg;
}

void vl_finish(const char* filename, int linenum, const char* hier) VL_MT_UNSAFE {
    (void)hier;
    VL_PRINTF("- %s:%d: Verilog $finish\n", filename, linenum);
    Verilated::threadContextp()->gotFinish(true);
}

void vl_stop(const char* filename, int linenum, const char* hier) VL_MT_UNSAFE {
    vl_fatal(filename, linenum, hier, "Verilog $stop");
}

void vl_fatal(const char* filename, int linenum, const char* hier, const char* msg) VL_MT_UNSAFE {
    (void)hier;
    Verilated::threadContextp()->gotError(true);
    Verilated::threadContextp()->gotFinish(true);
    std::string text = lhv_error_text(filename, linenum, msg);
    // Printed as Verilator prints it, for programs that do not catch it (a
    // C++ main linked with these hooks ends in std::terminate).
    VL_PRINTF("%s\n", text.c_str());
    Verilated::runFlushCallbacks();
    throw lhv_stopped{text};
}
