NC.data("search/terms/63-6c",{"claim":[126,278],"claimed":[53,57,106,169,276,278],"clear":[171,172],"closure":[277]});
