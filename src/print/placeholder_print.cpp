// placeholder until the print stage lands
