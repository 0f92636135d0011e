/*
 * static.c - the browser's files from the web/ folder, at every path
 * outside /api/.
 *
 * A path reaches here decoded and already free of "." and ".." segments
 * (handle.c). Here: no hidden file (a segment starting with '.'), the
 * real path (symbolic links resolved) must stay inside the real web
 * folder, only regular files are sent, a folder gives its index.html,
 * and only files of our own or root's that neither group nor others may
 * write (http_web_trusted): script another local user put there would run
 * on ctis's origin with the administrator's session.
 * Content types come from one table of extensions; every file gets an
 * ETag (size and modification time) and answers If-None-Match with 304.
 * HTML is revalidated on every load (Cache-Control: no-cache) so a new
 * release is seen at once; other files may be kept an hour.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http_int.h"

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".htm", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".ico", "image/x-icon"},
    {".webp", "image/webp"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".otf", "font/otf"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".pdf", "application/pdf"},
    {".wasm", "application/wasm"},
};

static const char *type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    size_t i;

    if (dot == NULL || (slash != NULL && dot < slash)) {
        return "application/octet-stream";
    }
    for (i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(dot, types[i].ext) == 0) {
            return types[i].type;
        }
    }
    return "application/octet-stream";
}

/* See http_int.h. */
int http_web_trusted(const struct stat *sb)
{
    return (sb->st_uid == geteuid() || sb->st_uid == 0) &&
           (sb->st_mode & S_IWOTH) == 0 &&
           ((sb->st_mode & S_IWGRP) == 0 || sb->st_gid == getegid()) &&
           (S_ISDIR(sb->st_mode) || sb->st_nlink == 1);
}

static int hidden(const char *path)
{
    return strstr(path, "/.") != NULL;
}

static int not_found(struct http_resp *resp)
{
    return http_error(resp, HTTP_E_ROUTE, "no such file", NULL);
}

/* Answer GET or HEAD of req->path from the web folder. */
int http_static(struct http_server *srv, struct http_req *req,
                struct http_resp *resp)
{
    char full[PATH_MAX + 16];
    char real[PATH_MAX];
    char etag[64];
    const char *inm;
    struct stat sb;
    size_t root_len = strlen(srv->web_dir);
    int fd;
    int n;

    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
        return http_error(resp, HTTP_E_METHOD,
                          "only GET and HEAD are allowed on files", NULL);
    }
    if (!srv->has_web || hidden(req->path)) {
        return not_found(resp);
    }
    n = snprintf(full, sizeof full, "%s%s%s", srv->web_dir, req->path,
                 req->path[strlen(req->path) - 1] == '/' ? "index.html" : "");
    if (n < 0 || (size_t)n >= sizeof full) {
        return not_found(resp);
    }
    if (realpath(full, real) == NULL) {
        return not_found(resp);
    }
    if (strncmp(real, srv->web_dir, root_len) != 0 ||
        (real[root_len] != '/' && real[root_len] != '\0')) {
        return not_found(resp);
    }
    if (stat(real, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        n = snprintf(full, sizeof full, "%s/index.html", real);
        if (n < 0 || (size_t)n >= sizeof full ||
            realpath(full, real) == NULL ||
            strncmp(real, srv->web_dir, root_len) != 0) {
            return not_found(resp);
        }
    }
    fd = open(real, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return not_found(resp);
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        !http_web_trusted(&sb)) {
        close(fd);
        return not_found(resp);
    }
    snprintf(etag, sizeof etag, "\"%llx-%llx\"",
             (unsigned long long)sb.st_size,
             (unsigned long long)sb.st_mtime);
    resp->content_type = type_of(real);
    http_add_header(req, resp, "ETag", etag);
    http_add_header(req, resp, "Cache-Control",
                    strncmp(resp->content_type, "text/html", 9) == 0
                        ? "no-cache"
                        : "public, max-age=3600");
    http_add_header(req, resp, "X-Content-Type-Options", "nosniff");
    inm = http_header(req, "If-None-Match");
    if (inm != NULL && strcmp(inm, etag) == 0) {
        close(fd);
        resp->status = 304;
        return 304;
    }
    resp->status = 200;
    resp->fd = fd;
    resp->fd_size = (uint64_t)sb.st_size;
    return 200;
}
