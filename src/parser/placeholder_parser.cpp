// placeholder until the parser stage lands
