// job_control::plan: what SIGTSTP, SIGTTIN and SIGTTOU sent to initd do, per name.
#include <catch2/catch.hpp>

#include <csignal>

#include "initd/job_control.hpp"

using initd::JobControl;
using initd::job_control::plan;

TEST_CASE("as initd, a terminal stop stops the job only with -g", "[job_control]") {
    for (int sig : {SIGTSTP, SIGTTIN, SIGTTOU}) {
        INFO(sig);
        auto single = plan(JobControl::initd, sig, sig, false, false, false);
        CHECK(single.forward == sig);
        CHECK_FALSE(single.stop_self);
        auto group = plan(JobControl::initd, sig, sig, false, true, false);
        CHECK(group.forward == SIGSTOP);
        CHECK(group.stop_self);
        // A rule of the user's that turns it into something else: the job keeps running.
        auto ruled = plan(JobControl::initd, sig, SIGUSR1, true, true, false);
        CHECK(ruled.forward == SIGUSR1);
        CHECK_FALSE(ruled.stop_self);
    }
}

TEST_CASE("as dumb-init, initd forwards and then always suspends itself", "[job_control]") {
    for (int sig : {SIGTSTP, SIGTTIN, SIGTTOU}) {
        INFO(sig);
        auto setsid = plan(JobControl::dumb_init, sig, sig, false, true, true);
        CHECK(setsid.forward == SIGSTOP);
        CHECK(setsid.stop_self);
        auto overridden = plan(JobControl::dumb_init, sig, SIGTERM, true, true, true);
        CHECK(overridden.forward == SIGTERM);
        CHECK(overridden.stop_self);
        auto single = plan(JobControl::dumb_init, sig, sig, false, false, false);
        CHECK(single.forward == sig);
        CHECK(single.stop_self);
    }
}

TEST_CASE("as tini, SIGTSTP is forwarded, SIGTTIN and SIGTTOU ignored", "[job_control]") {
    CHECK(plan(JobControl::tini, SIGTSTP, SIGTSTP, false, true, false).forward == SIGTSTP);
    CHECK_FALSE(plan(JobControl::tini, SIGTSTP, SIGTSTP, false, true, false).stop_self);
    CHECK(plan(JobControl::tini, SIGTTIN, SIGTTIN, false, false, false).forward == 0);
    CHECK(plan(JobControl::tini, SIGTTOU, SIGTTOU, false, false, false).forward == 0);
}

TEST_CASE("as catatonit, all three are dropped", "[job_control]") {
    for (int sig : {SIGTSTP, SIGTTIN, SIGTTOU}) {
        auto p = plan(JobControl::catatonit, sig, sig, false, true, false);
        CHECK(p.forward == 0);
        CHECK_FALSE(p.stop_self);
    }
}
