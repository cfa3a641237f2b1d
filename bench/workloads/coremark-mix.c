/* A CoreMark-flavoured mix (written for this bench, not CoreMark itself):
 * linked-list search/reverse/sort, small integer matrix multiply, a
 * character-class state machine, and CRC-16 over the results. Each part is
 * a noinline function so the mix keeps its calls. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- list ---- */
#define NNODES 64
struct node {
    struct node *next;
    int16_t key, val;
};
static struct node pool[NNODES];

static struct node *list_build(uint32_t seed)
{
    struct node *head = NULL;
    for (int i = 0; i < NNODES; i++) {
        seed = seed * 1103515245u + 12345u;
        pool[i].key = (int16_t)(seed >> 16);
        pool[i].val = (int16_t)i;
        pool[i].next = head;
        head = &pool[i];
    }
    return head;
}

static struct node *list_reverse(struct node *l)
{
    struct node *r = NULL;
    while (l) {
        struct node *n = l->next;
        l->next = r;
        r = l;
        l = n;
    }
    return r;
}

static struct node *list_find(struct node *l, int16_t key)
{
    while (l && l->key != key)
        l = l->next;
    return l;
}

/* insertion sort by key: pointer chasing with compares */
__attribute__((noinline)) static struct node *list_sort(struct node *l)
{
    struct node *sorted = NULL;
    while (l) {
        struct node *n = l->next, **p = &sorted;
        while (*p && (*p)->key < l->key)
            p = &(*p)->next;
        l->next = *p;
        *p = l;
        l = n;
    }
    return sorted;
}

__attribute__((noinline)) static uint32_t bench_list(uint32_t seed)
{
    struct node *l = list_build(seed);
    l = list_reverse(l);
    uint32_t found = 0;
    for (int i = 0; i < 16; i++) {
        struct node *n = list_find(l, pool[(i * 7) % NNODES].key);
        found += n ? (uint32_t)n->val : 0u;
    }
    l = list_sort(l);
    for (int i = 0; l && i < 8; i++, l = l->next)
        found = found * 31 + (uint16_t)l->key;
    return found;
}

/* ---- matrix ---- */
#define MN 12
static int16_t ma[MN][MN], mb[MN][MN];
static int32_t mc[MN][MN];

__attribute__((noinline)) static uint32_t bench_matrix(uint32_t seed)
{
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            seed = seed * 1664525u + 1013904223u;
            ma[i][j] = (int16_t)(seed >> 20);
            mb[i][j] = (int16_t)(seed >> 8 & 0xff);
        }
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            int32_t s = 0;
            for (int k = 0; k < MN; k++)
                s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    uint32_t acc = 0;
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++)
            acc += mc[i][j] > 1000 ? (uint32_t)mc[i][j] >> 2 : (uint32_t)mc[i][j] & 7;
    return acc;
}

/* ---- state machine: classify tokens of a text ---- */
enum { S_START, S_INT, S_FLOAT, S_EXP, S_SCI, S_INVALID, S_COUNT };
static const char text[] = "5012,1.2e-3,+77,-0.5,abc,3.14159,0x1f,12e9,-.,42,7.5E+2,,88";

__attribute__((noinline)) static uint32_t bench_state(uint32_t seed)
{
    uint32_t counts[S_COUNT] = {0};
    int state = S_START;
    for (unsigned i = 0; text[i]; i++) {
        char c = text[i];
        if (c == ',') {
            counts[state]++;
            state = S_START;
            continue;
        }
        switch (state) {
        case S_START:
            state = (c >= '0' && c <= '9') || c == '+' || c == '-' ? S_INT : c == '.' ? S_FLOAT : S_INVALID;
            break;
        case S_INT:
            state = c >= '0' && c <= '9' ? S_INT : c == '.' ? S_FLOAT : (c == 'e' || c == 'E') ? S_EXP : S_INVALID;
            break;
        case S_FLOAT:
            state = c >= '0' && c <= '9' ? S_FLOAT : (c == 'e' || c == 'E') ? S_EXP : S_INVALID;
            break;
        case S_EXP:
            state = (c >= '0' && c <= '9') || c == '+' || c == '-' ? S_SCI : S_INVALID;
            break;
        case S_SCI:
            state = c >= '0' && c <= '9' ? S_SCI : S_INVALID;
            break;
        default:
            break;
        }
    }
    counts[state]++;
    uint32_t r = seed;
    for (int i = 0; i < S_COUNT; i++)
        r = r * 33 + counts[i];
    return r;
}

/* ---- crc16 (CCITT, bitwise) ---- */
__attribute__((noinline)) static uint16_t crc16(uint16_t crc, uint32_t v)
{
    for (int b = 0; b < 4; b++) {
        crc ^= (uint16_t)((v >> (8 * b)) & 0xff) << 8;
        for (int i = 0; i < 8; i++)
            crc = crc & 0x8000 ? (uint16_t)(crc << 1) ^ 0x1021 : (uint16_t)(crc << 1);
    }
    return crc;
}

int main(int argc, char **argv)
{
    unsigned reps = argc > 1 ? (unsigned)atoi(argv[1]) : 10;
    uint16_t crc = 0;
    for (unsigned r = 0; r < reps; r++) {
        crc = crc16(crc, bench_list(r));
        crc = crc16(crc, bench_matrix(r));
        crc = crc16(crc, bench_state(r));
    }
    printf("crc: %04x\n", crc);
    return 0;
}
