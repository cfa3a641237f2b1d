# ls layouts: -C (columns), -x (across), -m (commas), -w, -T, COLUMNS,
# TABSIZE, --format; the last of -1 -C -x -m -l wins, and -1 does not undo -l.
# Expected outputs are GNU coreutils 9.1's (tabs shown by cat -A).

### ls -C fills columns down, to 80 columns, with tabs every 8
for n in alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon; do touch $n; done
mkdir sub
ls -C | cat -A
--- stdout
alpha  delta^Ieta    iota   lambda  nu       pi   sigma  tau^I  upsilon  zeta$
beta   epsilon^Igamma  kappa  mu      omicron  rho  sub    theta  xi$

### ls -x fills rows across; -w sets the width
for n in alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon; do touch $n; done
mkdir sub
ls -x -w 40 | cat -A
--- stdout
alpha  beta^Idelta  epsilon^Ieta$
gamma  iota^Ikappa  lambda^Imu$
nu     omicron^Ipi     rho^Isigma$
sub    tau^Itheta  upsilon^Ixi$
zeta$

### ls -m separates with commas, wrapping at COLUMNS; -w 0 never wraps
for n in alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon; do touch $n; done
mkdir sub
COLUMNS=30 ls -m
ls -mw0 -p
--- stdout
alpha, beta, delta, epsilon,
eta, gamma, iota, kappa,
lambda, mu, nu, omicron, pi,
rho, sigma, sub, tau, theta,
upsilon, xi, zeta
alpha, beta, delta, epsilon, eta, gamma, iota, kappa, lambda, mu, nu, omicron, pi, rho, sigma, sub/, tau, theta, upsilon, xi, zeta

### ls -T sets the tab stops (0: spaces only, also TABSIZE)
for n in alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon; do touch $n; done
mkdir sub
ls -C -w 50 -T 0 | cat -A
ls -C --tabsize=4 -w 36 | cat -A
TABSIZE=0 ls -x -w 40 | head -1 | cat -A
--- stdout
alpha    eta    lambda   pi     tau      zeta$
beta     gamma  mu       rho    theta$
delta    iota   nu       sigma  upsilon$
epsilon  kappa  omicron  sub    xi$
alpha^I iota^I  pi^I upsilon$
beta^I kappa^I  rho^I xi$
delta^I lambda   sigma  zeta$
epsilon  mu^I^I  sub$
eta^I^I nu^I^I  tau$
gamma^I omicron  theta$
alpha  beta     delta  epsilon  eta$

### the last layout option wins, but -1 does not undo -l; --format names them
for n in alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon; do touch $n; done
mkdir sub
ls --format=across -w 60 -F | cat -A
ls -lC -w 60 | cat -A
ls -Cl | head -1
ls -l1 | head -1
ls -1C -w 70 | cat -A
--- stdout
alpha^Ibeta   delta^Iepsilon  eta   gamma  iota   kappa$
lambda^Imu     nu^Iomicron  pi    rho    sigma  sub/$
tau^Itheta  upsilon^Ixi^I zeta$
alpha  epsilon^Iiota^Imu^I pi^Isub    upsilon$
beta   eta^Ikappa^Inu^I rho^Itau    xi$
delta  gamma^Ilambda^Iomicron  sigma^Itheta  zeta$
total 4
total 4
alpha  epsilon^Iiota^Imu^I pi^Isub    upsilon$
beta   eta^Ikappa^Inu^I rho^Itau    xi$
delta  gamma^Ilambda^Iomicron  sigma^Itheta  zeta$

### ls -w and -T refuse what is not a number [stderr]
ls -w x; echo "status $?"
ls -T -1; echo "status $?"
ls --format=wide; echo "status $?"
--- stdout
status 2
status 2
status 1
--- stderr
ls: invalid line width: 'x'
ls: invalid tab size: '-1'
ls: invalid argument 'wide' for '--format'
Valid arguments are:
  - 'verbose', 'long'
  - 'commas'
  - 'horizontal', 'across'
  - 'vertical'
  - 'single-column'
Try 'ls --help' for more information.
