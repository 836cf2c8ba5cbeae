#include <windows.h>
#include <ntsecapi.h>
/* Wine 8.0 (Debian 12) lacks bcryptprimitives.dll, whose ProcessPrng Go's runtime needs since
   Go 1.22: this stand-in fills the buffer from RtlGenRandom (advapi32's SystemFunction036). */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
	while (size > 0) {
		ULONG n = size > 0x40000000 ? 0x40000000 : (ULONG)size;
		if (!RtlGenRandom(data, n)) return FALSE;
		data += n;
		size -= n;
	}
	return TRUE;
}
