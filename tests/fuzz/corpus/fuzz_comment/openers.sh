#!/bin/sh
-- plumb:ignore secrets/token -- sql
; plumb:ignore secrets/*
/* plumb:ignore secrets/token -- c */
TOKEN=ghp_Zr8qbQx6F3s1kXnY2uVwT9mLcJ4hA7dE0pGi
