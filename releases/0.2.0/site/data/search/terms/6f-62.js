NC.data("search/terms/6f-62",{"obama":[10,41,114,276],"observation":[30,225],"obtained":[73,168,202]});
