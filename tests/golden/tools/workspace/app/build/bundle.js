function handle(r){return r}
