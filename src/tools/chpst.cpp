#include "initd/tools.hpp"
namespace initd::tools {
int chpst(int, char**, char**) { return 1; }
}
