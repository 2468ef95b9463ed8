// placeholder until the simplify stage lands
