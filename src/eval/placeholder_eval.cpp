// placeholder until the eval stage lands
