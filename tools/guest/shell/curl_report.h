/* curl_report.h: what the shell's curl (utils/curl.c) tells about a
 * transfer: curl 7.88's exit codes and messages for the wasmbox_http
 * errors (http.h), -w's variables, -v's request and response heads, and the
 * pieces of a URL those name. */
#ifndef SH_CURL_REPORT_H
#define SH_CURL_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "shell.h"

/* What one transfer learnt, for -w and the messages. */
typedef struct {
    const char *url;      /* as asked (after the scheme was added) */
    int status;
    sh_buf effective;     /* after redirects */
    sh_buf headers;       /* "Name: value\r\n" lines */
    uint64_t body_bytes, header_bytes;
    uint64_t upload_bytes;
    double seconds;
    int code;             /* curl's exit code of this transfer */
    sh_buf errmsg;        /* its message, without "curl: (N) " */
    const char *method;
    const char *filename; /* -o / -O */
} curl_transfer;

/* A URL's parts as curl's messages name them (the host parses the URL for
 * real: these are only for words). */
typedef struct {
    sh_buf scheme, host, path; /* path: from the first '/' on (query included) */
    int port;
} curl_url;
void curl_url_split(const char *url, curl_url *u);
void curl_url_free(curl_url *u);

/* The usual reason phrase of an HTTP status ("" if none). */
const char *curl_reason(int status);
/* Sets t->code and t->errmsg for wasmbox_http error e (reading: while the
 * body was read; t0: when the transfer began). */
void curl_failure(curl_transfer *t, int e, bool reading, const struct timespec *t0);
/* The value of header name in a "Name: value\r\n" block (the last one
 * given), or NULL; *len its length. */
const char *curl_header_value(const char *block, const char *name, size_t *len);
/* -w FORMAT (or @FILE) after a transfer, on stdout unless %{stderr}. */
void curl_write_out(shctx *sh, const char *fmt, const curl_transfer *t);
/* -v: the request head about to go, and the response head that came. */
void curl_verbose_request(shctx *sh, const char *method, const char *url, const sh_buf *headers,
                          size_t body_len, bool body);
void curl_verbose_response(shctx *sh, const curl_transfer *t);

#endif
