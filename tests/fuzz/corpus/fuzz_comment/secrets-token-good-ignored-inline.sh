#!/bin/sh
# a documented test credential of the local emulator
# plumb:ignore secrets/token -- public emulator key, not a secret
export EMULATOR_KEY=ghp_Cz48FvYQSw5EgVsldGP452QSNlN5JAWRG5XR
