int x = 3;
int y = 3;
int z = 2;
