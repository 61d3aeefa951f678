NC.data("search/terms/64-72",{"drone":[70,272],"drones":[70,105,223,252,272]});
