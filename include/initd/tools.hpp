// The names under which initd is a one-shot tool rather than an init: each replaces a
// program of runit or baseimage-docker, does its job and exits (or execs). They run
// before initd blocks any signal, as the programs they replace would.
#pragma once

namespace initd::tools {

int setuser(int argc, char** argv, char** envp);  // phusion's setuser USER COMMAND...
int chpst(int argc, char** argv, char** envp);    // runit's chpst
int sv(int argc, char** argv, char** envp);       // runit's sv, against initd's supervise/ files

}  // namespace initd::tools
