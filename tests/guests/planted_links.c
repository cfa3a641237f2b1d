/* Links a guest plants to lead host programs out of the map: the guest's
 * own lookups are confined either way, but tar, cp -r or an agent reading the
 * map afterwards follow every link unconfined. Each attempt prints
 * "label errno" (WASI numbers: 0 ok, 63 perm); tests/e2e/wasi_links.sh
 * compares them with what the policy (allow_symlink_dotdot off or on)
 * allows, then walks every map on the host with realpath.
 *
 * Expects fd 3 = /box, fd 4 = /other and fd 5 = /nest, the host's box/nest
 * mapped again (all writable), laid out by the script: box/inside.txt, box/a/up1 -> ../inside.txt, box/a/b/up ->
 * ../../inside.txt, box/a/c/, box/clean/f.txt, box/clean/down -> f.txt, and
 * next to box a decoy inside.txt and outside/secret.txt that those links
 * would reach if moved up.
 *
 * Then the ".." entry of the map root listed through fds that are not the
 * preopen: "rd_LABEL INODE" lines the script compares with the host's. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

#define BOX 3
#define OTHER 4

static void T(const char *label, __wasi_errno_t e) { printf("%s %d\n", label, (int)e); }

static __wasi_errno_t sym(const char *target, __wasi_fd_t fd, const char *path)
{
    return __wasi_path_symlink(target, fd, path);
}

static __wasi_errno_t mv(__wasi_fd_t f1, const char *p1, __wasi_fd_t f2, const char *p2)
{
    return __wasi_path_rename(f1, p1, f2, p2);
}

static __wasi_errno_t hl(__wasi_lookupflags_t fl, const char *p1, __wasi_fd_t f2, const char *p2)
{
    return __wasi_path_link(BOX, fl, p1, f2, p2);
}

static __wasi_errno_t open_dir(const char *path, __wasi_fd_t *fd)
{
    /* every right but the write ones, which a directory refuses (ISDIR) */
    __wasi_rights_t no_write = __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ALLOCATE |
                               __WASI_RIGHTS_FD_FILESTAT_SET_SIZE;
    return __wasi_path_open(BOX, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path,
                            __WASI_OFLAGS_DIRECTORY, ((__wasi_rights_t)-1 >> 34) & ~no_write,
                            (__wasi_rights_t)-1 >> 34, 0, fd);
}

/* The ".." entry of a directory as libc's readdir reports it, or 0. */
static unsigned long long dotdot_ino(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    unsigned long long ino = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (!strcmp(e->d_name, ".."))
            ino = e->d_ino;
    closedir(d);
    return ino;
}

int main(void)
{
    /* symlinks the guest makes: d -> "." makes every spelt depth a lie */
    T("sym_dot", sym(".", BOX, "d"));
    T("sym_esc_file", sym("d/d/../outside/secret.txt", BOX, "esc"));
    T("sym_esc_dir", sym("d/d/d/d/../../../..", BOX, "escdir"));
    T("sym_abs", sym("/etc", BOX, "abs"));
    T("sym_dotdot_top", sym("../outside", BOX, "up_top"));
    T("sym_fake_depth", sym("../../outside/secret.txt", BOX, "d/d/d/fake"));
    T("sym_sub_up", sym("../../inside.txt", BOX, "a/c/up2"));
    T("sym_down", sym("clean/f.txt", BOX, "down_ok"));
    T("sym_dots", sym("./d/./inside.txt", BOX, "dots_ok"));
    __wasi_fd_t fa = 0;
    T("open_a", open_dir("a", &fa));
    /* a directory fd is a root of its own: ".." above it is out */
    T("sym_subfd_up", sym("../inside.txt", fa, "x"));
    /* nor out of a map nested inside the one the link is made through */
    T("sym_nested_up", sym("../inside.txt", BOX, "nest/up"));

    /* links planted first, a component re-pointed afterwards */
    T("rp_mkdir", __wasi_path_create_directory(BOX, "rp"));
    T("rp_mkdir_deep", __wasi_path_create_directory(BOX, "rp/deep"));
    T("rp_plant", sym("rp/deep", BOX, "rpl"));
    T("rp_plant_up", sym("../../inside.txt", BOX, "rp/deep/up"));
    T("rp_swap_away", mv(BOX, "rp", BOX, "rp_old"));
    T("rp_swap_dot", sym(".", BOX, "rp"));
    T("rp_deep_dot", sym(".", BOX, "deep"));
    T("rp_name_dotdot", sym("rp/../inside.txt", BOX, "rpx"));

    /* hard links of symlinks: a second name of the link elsewhere */
    T("hl_planted_top", hl(0, "a/b/up", BOX, "up_hl"));
    T("hl_planted_same", hl(0, "a/b/up", BOX, "a/c/up_hl"));
    T("hl_planted_deeper", hl(0, "a/up1", BOX, "a/b/up1_hl"));
    T("hl_planted_other", hl(0, "a/up1", OTHER, "up1_hl"));
    T("hl_follow", hl(__WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "a/b/up", BOX, "up_follow"));
    T("hl_dot", hl(0, "d", BOX, "a/dd"));

    /* renames of symlinks */
    T("mv_planted_top", mv(BOX, "a/up1", BOX, "up1_top"));
    T("mv_planted_other", mv(BOX, "a/up1", OTHER, "up1"));
    T("mv_planted_via_fd", mv(fa, "up1", BOX, "up1_fd"));
    T("mv_planted_deeper", mv(BOX, "a/up1", BOX, "a/c/up1"));

    /* renames of directories that hold links */
    T("mvdir_up", mv(BOX, "a/b", BOX, "b_top"));
    T("mvdir_other", mv(BOX, "a/b", OTHER, "b"));
    T("mvdir_via_fd", mv(fa, "b", BOX, "b_fd"));
    T("mvdir_clean", mv(BOX, "clean", BOX, "a/clean"));
    T("mvdir_same", mv(BOX, "a/b", BOX, "a/b2"));
    T("n_mkdir", __wasi_path_create_directory(BOX, "n1"));
    T("n_mkdir2", __wasi_path_create_directory(BOX, "n1/n2"));
    T("n_mkdir3", __wasi_path_create_directory(BOX, "n1/n2/n3"));
    T("n_plant", sym("../../../inside.txt", BOX, "n1/n2/n3/l"));
    T("mvdir_nested_up", mv(BOX, "n1/n2", BOX, "n2top"));
    T("mvdir_nested_down", mv(BOX, "n1", BOX, "a/c/n1"));
    T("mv_dot", mv(BOX, "deep", BOX, "a/deep_moved"));
    /* a tree too deep to check is not moved (the check holds one directory
     * open a level) */
    static char deep[2 * 140];
    __wasi_errno_t made = 0;
    for (int i = 0, len = 0; i < 140 && !made; i++) {
        len += sprintf(deep + len, "%sz", i ? "/" : "");
        made = __wasi_path_create_directory(BOX, deep);
    }
    T("deep_mkdir", made);
    T("mvdir_too_deep", mv(BOX, "z", BOX, "a/z"));
    T("close_a", __wasi_fd_close(fa));

    /* the map root's ".." through fds that are not the preopen */
    printf("rd_box %llu\n", dotdot_ino("/box"));
    printf("rd_box_via_sub %llu\n", dotdot_ino("/box/a/.."));
    printf("rd_sub %llu\n", dotdot_ino("/box/a"));
    printf("rd_other %llu\n", dotdot_ino("/other"));
    printf("done\n");
    return 0;
}
