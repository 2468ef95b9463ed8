// placeholder until the diff stage lands
