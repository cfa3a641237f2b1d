int x = 1;
int y = 1;
int z = 2;
