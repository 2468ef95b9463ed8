# exit: 0
mcalc derive L --wrt z --let "y, z: scalar; yhat = sigmoid(z); L = -(y*log(yhat) + (1 - y)*log(1 - yhat))" --format latex --standalone
