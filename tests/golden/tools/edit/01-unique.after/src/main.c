#include "util.h"

int main(void)
{
    return util() + 1;
}
