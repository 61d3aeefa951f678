NC.data("search/terms/64-72",{"drone":[73,276],"drones":[73,106,227,259,276]});
