/*
 * hsdis for JDK 25 on Debian: libhsdis0-fcml ships the old entry point decode_instructions, but
 * JDK 25 looks only for decode_instructions_virtual ("Loading hsdis library failed" otherwise).
 * This forwards one to the other (HotSpot passes the code's own address as the buffer).
 *
 *   apt-get install -y libhsdis0-fcml
 *   gcc -shared -fPIC -O2 -o hsdis-amd64.so bench/hsdis/hsdis-shim.c /usr/lib/x86_64-linux-gnu/libhsdis.so.0
 *   cp hsdis-amd64.so $JAVA_HOME/lib/server/
 *   java -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,dev.heatgrid.solver.kernels.VectorFtcsRows::* ...
 */
#include <stdint.h>

extern void *decode_instructions(void *start, void *end, void *(*event_cb)(void *, const char *, void *),
                                 void *event_stream, int (*printf_cb)(void *, const char *, ...), void *printf_stream,
                                 const char *options);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
                                  void *(*event_cb)(void *, const char *, void *), void *event_stream,
                                  int (*printf_cb)(void *, const char *, ...), void *printf_stream,
                                  const char *options, int newline)
{
    (void)start_va;
    (void)end_va;
    (void)newline;
    return decode_instructions(buffer, buffer + length, event_cb, event_stream, printf_cb, printf_stream, options);
}
