// libarchive (Debian: libarchive-dev). The AE_IF* file-type macros are casts
// that Swift does not import, so they are re-exported as constants.
#include <archive.h>
#include <archive_entry.h>

static const unsigned int WS_AE_IFREG = AE_IFREG;
static const unsigned int WS_AE_IFDIR = AE_IFDIR;
static const unsigned int WS_AE_IFLNK = AE_IFLNK;
